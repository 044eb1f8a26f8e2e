<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="SiteName" content="金塘镇人民政府">
<title>金塘镇人民政府2021年政府信息公开工作年度报告</title>
<meta name="ArticleTitle" content="金塘镇人民政府2021年政府信息公开工作年度报告">
<meta name="PubDate" content="2022-01-18 10:00">
<meta name="ColumnName" content="政府信息公开年报">
</head>
<body>
<div class="topbar"><a href="javascript:void(0)" onclick="aria.start()">无障碍浏览</a> <a href="javascript:;">长者模式</a>
 <a href="javascript:;">繁體</a> <a href="/en/index.html">English</a> <a href="/user/login.html">登录</a>
 <a href="/user/register.html">注册</a> <a href="/wzdt/index.html">网站地图</a></div>
<div class="header"><a href="/"><img src="/images/logo.png" alt="金塘镇人民政府"></a>
<form action="/search/index.html" method="get"><input name="q" placeholder="请输入关键词"><button>搜索</button></form>
<div class="hot">热搜：<a href="/search/index.html?q=%E6%94%BF%E5%BA%9C%E4%BF%A1%E6%81%AF%E5%85%AC%E5%BC%80%E5%B9%B4%E6%8A%A5">政府信息公开年报</a> <a href="/search/index.html?q=%E8%90%A5%E5%95%86%E7%8E%AF%E5%A2%83">营商环境</a> <a href="/search/index.html?q=%E7%A4%BE%E4%BF%9D">社保</a></div></div>
<div class="nav"><a href="/">首页</a> | <a href="/zjjt/index.jsp">走进金塘</a> | <a href="/hdjl/index.jsp">互动交流</a></div>
<div class="main">
<div class="position">当前位置：<a href="/">首页</a> &gt; 政府信息公开年报</div>
<div class="article"><h1>金塘镇人民政府2021年政府信息公开工作年度报告</h1>
<div class="info">发布时间：2022-01-18　来源：金塘镇人民政府</div>
<div class="content" id="zoom">
<p>本报告由金塘镇人民政府根据《中华人民共和国政府信息公开条例》编制。</p>
<p class="heading"><strong>一、总体情况</strong></p>
<p>2021年，金塘镇人民政府认真贯彻落实政府信息公开条例，主动公开、依申请公开、平台建设等工作有序推进。</p>
<p class="heading"><strong>二、主动公开政府信息情况</strong></p>
<table border="1" cellspacing="0" cellpadding="0" width="100%" style="border-collapse:collapse">
<tbody>
<tr><td colspan="4">第二十条第（一）项</td></tr>
<tr><td>信息内容</td><td>本年制发件数</td><td>本年废止件数</td><td>现行有效件数</td></tr>
<tr><td>规章</td><td>0</td><td>0</td><td>0</td></tr>
<tr><td>行政规范性文件</td><td>0</td><td>0</td><td>0</td></tr>
<tr><td colspan="4">第二十条第（五）项</td></tr>
<tr><td>信息内容</td><td colspan="3">本年处理决定数量</td></tr>
<tr><td>行政许可</td><td colspan="3">7476</td></tr>
<tr><td colspan="4">第二十条第（六）项</td></tr>
<tr><td>信息内容</td><td colspan="3">本年处理决定数量</td></tr>
<tr><td>行政处罚</td><td colspan="3">173909</td></tr>
<tr><td>行政强制</td><td colspan="3">11000</td></tr>
<tr><td colspan="4">第二十条第（八）项</td></tr>
<tr><td>信息内容</td><td colspan="3">本年收费金额（单位：万元）</td></tr>
<tr><td>行政事业性收费</td><td colspan="3">28.6775</td></tr>
</tbody>
</table>
<p class="heading"><strong>三、收到和处理政府信息公开申请情况</strong></p>
<table border="1" cellspacing="0" cellpadding="0" width="100%" style="border-collapse:collapse">
<tbody>
<tr><td rowspan="3" colspan="3">（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）</td><td colspan="7">申请人情况</td></tr>
<tr><td rowspan="2">自然人</td><td colspan="5">法人或其他组织</td><td rowspan="2">总计</td></tr>
<tr><td>商业企业</td><td>科研机构</td><td>社会公益组织</td><td>法律服务机构</td><td>其他</td></tr>
<tr><td colspan="3">一、本年新收政府信息公开申请数量</td><td>4</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>4</td></tr>
<tr><td colspan="3">二、上年结转政府信息公开申请数量</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td></tr>
<tr><td rowspan="22">三、本年度办理结果</td><td colspan="2">（一）予以公开</td><td>4</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>4</td></tr>
<tr><td colspan="2">（二）部分公开（区分处理的，只计这一情形，不计其他情形）</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td></tr>
<tr><td rowspan="8">（三）不予公开</td><td>1.属于国家秘密</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td></tr>
<tr><td>2.其他法律行政法规禁止公开</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td></tr>
<tr><td>3.危及“三安全一稳定”</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td></tr>
<tr><td>4.保护第三方合法权益</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td></tr>
<tr><td>5.属于三类内部事务信息</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td></tr>
<tr><td>6.属于四类过程性信息</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td></tr>
<tr><td>7.属于行政执法案卷</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td></tr>
<tr><td>8.属于行政查询事项</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td></tr>
<tr><td rowspan="3">（四）无法提供</td><td>1.本机关不掌握相关政府信息</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td></tr>
<tr><td>2.没有现成信息需要另行制作</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td></tr>
<tr><td>3.补正后申请内容仍不明确</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td></tr>
<tr><td rowspan="5">（五）不予处理</td><td>1.信访举报投诉类申请</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td></tr>
<tr><td>2.重复申请</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td></tr>
<tr><td>3.要求提供公开出版物</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td></tr>
<tr><td>4.无正当理由大量反复申请</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td></tr>
<tr><td>5.要求行政机关确认或重新出具已获取信息</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td></tr>
<tr><td rowspan="3">（六）其他处理</td><td>1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td></tr>
<tr><td>2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td></tr>
<tr><td>3.其他</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td></tr>
<tr><td colspan="2">（七）总计</td><td>4</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>4</td></tr>
<tr><td colspan="3">四、结转下年度继续办理</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td></tr>
</tbody>
</table>
<p class="heading"><strong>四、政府信息公开行政复议、行政诉讼情况</strong></p>
<table border="1" cellspacing="0" cellpadding="0" width="100%" style="border-collapse:collapse">
<tbody>
<tr><td colspan="5">行政复议</td><td colspan="10">行政诉讼</td></tr>
<tr><td rowspan="2">结果维持</td><td rowspan="2">结果纠正</td><td rowspan="2">其他结果</td><td rowspan="2">尚未审结</td><td rowspan="2">总计</td><td colspan="5">未经复议直接起诉</td><td colspan="5">复议后起诉</td></tr>
<tr><td>结果维持</td><td>结果纠正</td><td>其他结果</td><td>尚未审结</td><td>总计</td><td>结果维持</td><td>结果纠正</td><td>其他结果</td><td>尚未审结</td><td>总计</td></tr>
<tr><td>1</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>1</td><td>1</td></tr>
</tbody>
</table>
<p class="heading"><strong>五、存在的主要问题及改进情况</strong></p>
<p>公开内容的针对性有待提升。下一步将加强解读，提高公开质量。</p>
<p class="heading"><strong>六、其他需要报告的事项</strong></p>
<p>本年度未收取信息处理费。</p>
</div>
<div class="tools"><a href="javascript:window.print()">打印本页</a> <a href="/print.jsp?url=/xxgk/ndbg/2022/0118/1027.jsp">打印预览</a> <a href="https://service.weibo.com/share/share.php?url=/xxgk/ndbg/2022/0118/1027.jsp" target="_blank">分享到微博</a> <a href="javascript:window.close()">关闭窗口</a></div></div>
</div>
<div class="footer"><div class="links"><a href="https://www.gov.cn/" target="_blank">中国政府网</a> | <a href="https://www.gov.cn/home/xkd.htm" target="_blank">国务院客户端</a> | <a href="https://www.henan.gov.cn/" target="_blank">省人民政府</a> | <a href="https://zfwzgl.www.gov.cn/exposure/jiucuo.html" target="_blank">政府网站找错</a></div>
<a href="/wzdt/index.html">网站地图</a> | <a href="/lxwm/index.html">联系我们</a> | <a href="/gybz/index.html">关于本站</a> |
<a href="https://beian.miit.gov.cn/" target="_blank">豫ICP备05012345号</a> | <a href="http://www.beian.gov.cn/portal/registerSystemInfo?recordcode=41160202000123" target="_blank">豫公网安备 41160202000123号</a>
<p>主办：金塘镇人民政府办公室　网站标识码：4116209103</p></div>
</body>
</html>
