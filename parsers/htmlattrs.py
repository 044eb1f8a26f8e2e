"""HTML conventions that both sides of the archive read: the crawler fetches an article's pictures
(crawler/spiders/base.py `content_image_src`) and the re-parse puts them back in page order
(archive/parts.py `picture_src`).  Both must agree on where a picture is, so it is written once here,
in a module that imports nothing (the crawler never parses: it takes a constant, not the parser)."""

# lazy-loading scripts (jQuery lazyload, lazysizes, CMS editors) keep the picture here and put a
# placeholder (loading.gif, a grey pixel) in src until it scrolls into view
LAZY_SRC = ("data-src", "data-original", "data-lazy-src")
