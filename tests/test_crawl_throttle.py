"""A re-crawl where nothing changed is answered 304 almost throughout: the host's delay must come
down on those answers as it does on 200s, or the unchanged night crawls slower than the first one.

Driven through the throttle the crawl loads (the project settings' EXTENSIONS) with Scrapy's own
slot and response objects, answering the way a fast host does.
"""

from __future__ import annotations

from scrapy.core.downloader import Slot
from scrapy.http import Response
from scrapy.utils.misc import load_object
from scrapy.utils.test import get_crawler

from crawler import settings as project

FAST_ANSWER = 0.01  # seconds: a host answering at once


def throttle():
    """The AutoThrottle the crawl runs, built from the project's settings."""
    crawler = get_crawler(settings_dict={k: getattr(project, k) for k in dir(project) if k.isupper()})
    enabled = [path for path, order in crawler.settings.getwithbase("EXTENSIONS").items()
               if order is not None and "throttle" in path.lower()]
    assert len(enabled) == 1, enabled  # one throttle, not Scrapy's beside ours
    ext = load_object(enabled[0])(crawler)
    ext.mindelay, ext.maxdelay = ext._min_delay(), ext._max_delay()
    return ext, crawler.settings


def answers(status: int, n: int = 12) -> float:
    """The host's delay after `n` fast answers with `status`, starting where a crawl starts."""
    ext, settings = throttle()
    slot = Slot(concurrency=2, delay=ext._start_delay(), jitter=0)
    for _ in range(n):
        ext._adjust_delay(slot, FAST_ANSWER, Response("http://127.0.0.1/page.html", status=status))
    return slot.delay


def test_fast_304s_bring_the_delay_down_like_200s() -> None:
    _, settings = throttle()
    floor = settings.getfloat("DOWNLOAD_DELAY")
    start = settings.getfloat("AUTOTHROTTLE_START_DELAY")
    assert start > floor  # otherwise there is nothing to come down from
    assert answers(200) == answers(304)
    assert answers(304) < start
    assert abs(answers(304) - floor) < 0.01


def test_errors_still_never_lower_the_delay() -> None:
    """Scrapy's rule stands for every other status: a struggling host's fast error pages must not
    talk the delay down."""
    _, settings = throttle()
    start = settings.getfloat("AUTOTHROTTLE_START_DELAY")
    for status in (301, 404, 503):
        assert answers(status) == start
