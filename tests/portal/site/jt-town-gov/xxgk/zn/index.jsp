<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="SiteName" content="金塘镇人民政府">
<title>政府信息公开指南</title>
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
<h2>政府信息公开指南</h2><p>金塘镇人民政府政府信息公开指南……</p>
</div>
<div class="footer"><div class="links"><a href="https://www.gov.cn/" target="_blank">中国政府网</a> | <a href="https://www.gov.cn/home/xkd.htm" target="_blank">国务院客户端</a> | <a href="https://www.henan.gov.cn/" target="_blank">省人民政府</a> | <a href="https://zfwzgl.www.gov.cn/exposure/jiucuo.html" target="_blank">政府网站找错</a></div>
<a href="/wzdt/index.html">网站地图</a> | <a href="/lxwm/index.html">联系我们</a> | <a href="/gybz/index.html">关于本站</a> |
<a href="https://beian.miit.gov.cn/" target="_blank">豫ICP备05012345号</a> | <a href="http://www.beian.gov.cn/portal/registerSystemInfo?recordcode=41160202000123" target="_blank">豫公网安备 41160202000123号</a>
<p>主办：金塘镇人民政府办公室　网站标识码：4116209103</p></div>
</body>
</html>
