"""The article body sanitiser (daotao.lib.html): what an editor pastes can never run script
on a reader's page, while the news itself survives."""

import re

import pytest

from daotao.lib.html import html_to_text, sanitize_article_html

# (payload, text that must survive or "" for none). Every payload is checked against DANGER.
XSS = [
    ("<script>alert(1)</script><p>Tin</p>", "<p>Tin</p>"),
    ("<SCRIPT SRC=//evil.example/x.js></SCRIPT>Tin", "Tin"),
    ("<scr<script>ipt>alert(1)</script>", ""),
    ('<img src="x.png" onerror="alert(1)">', '<img src="x.png">'),
    ("<img src=x OnError=alert(1)>", '<img src="x">'),
    ('<body onload="alert(1)"><p>Tin</p></body>', "<p>Tin</p>"),
    ('<p onclick="alert(1)" onmouseover="alert(2)">Tin</p>', "<p>Tin</p>"),
    ('<a href="javascript:alert(1)">Tin</a>', ">Tin</a>"),
    ('<a href="JaVaScRiPt:alert(1)">Tin</a>', ">Tin</a>"),
    ('<a href=" javascript:alert(1)">Tin</a>', ">Tin</a>"),
    ('<a href="java\tscript:alert(1)">Tin</a>', ">Tin</a>"),
    ('<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">Tin</a>', ">Tin</a>"),
    ('<a href="&#x6A;avascript&colon;alert(1)">Tin</a>', ">Tin</a>"),
    ('<a href="vbscript:msgbox(1)">Tin</a>', ">Tin</a>"),
    ('<a href="VBScript:msgbox(1)">Tin</a>', ">Tin</a>"),
    ('<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">Tin</a>', ">Tin</a>"),
    ('<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">', "<img>"),
    ('<svg onload="alert(1)"><script>alert(2)</script></svg><p>Tin</p>', "<p>Tin</p>"),
    ('<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>', ""),
    ('<math><mtext><table><mglyph><style><img src=x onerror="alert(1)">', ""),
    ('<math href="javascript:alert(1)">x</math>', ""),
    ('<p style="background:url(javascript:alert(1))">Tin</p>', "<p>Tin</p>"),
    ('<p style="width: expression(alert(1))">Tin</p>', "<p>Tin</p>"),
    ("<style>body{background:url(javascript:alert(1))}</style><p>Tin</p>", "<p>Tin</p>"),
    ('<iframe src="javascript:alert(1)"></iframe><p>Tin</p>', "<p>Tin</p>"),
    ('<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>', ""),
    ('<object data="javascript:alert(1)"></object><embed src="x.swf">', ""),
    ('<form action="javascript:alert(1)"><input type="submit" formaction="javascript:alert(2)"></form>Tin', "Tin"),
    ('<button onclick="alert(1)">Tin</button>', "Tin"),
    ('<meta http-equiv="refresh" content="0;url=javascript:alert(1)">Tin', "Tin"),
    ('<base href="javascript:alert(1)//"><p>Tin</p>', "<p>Tin</p>"),
    ('<link rel="stylesheet" href="javascript:alert(1)"><p>Tin</p>', "<p>Tin</p>"),
    ('<div id="x" class="y"><p>Tin</p></div>', "<p>Tin</p>"),
    ('<details open ontoggle="alert(1)"><summary>Tin</summary></details>', "Tin"),
    ('<a href="https://example.vn" target="_blank" onfocus="alert(1)" autofocus>Tin</a>', "Tin</a>"),
    ("<!--<img src=x onerror=alert(1)>--><p>Tin</p>", "<p>Tin</p>"),
    ('<img src="x" width="100" height="50%" onload="alert(1)">', '<img src="x" width="100">'),
    ('<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>', ""),
    ('<template><img src=x onerror="alert(1)"></template><p>Tin</p>', "<p>Tin</p>"),
]
DANGER = re.compile(
    r"<\s*/?\s*(script|style|iframe|object|embed|form|input|button|svg|math|meta|base|link|template|details)\b"
    r"|\bon[a-z]+\s*="
    r"|javascript\s*:|vbscript\s*:|data\s*:|expression\s*\(|\bstyle\s*=|\bsrcdoc\b|\bformaction\b|\btarget\s*=",
    re.IGNORECASE,
)


def test_the_corpus_is_large_enough():
    assert len(XSS) >= 25


@pytest.mark.parametrize(("payload", "survives"), XSS)
def test_no_script_survives(payload, survives):
    clean = sanitize_article_html(payload)
    assert not DANGER.search(clean), clean
    assert survives in clean
    assert sanitize_article_html(clean) == clean  # stable: saving again changes nothing


def test_harmless_news_survives():
    body = (
        "<h2>Khai giảng</h2><h3>Lớp Trung cấp</h3><h4>Khóa 2026</h4>"
        "<p>Sáng <strong>10/3</strong>, <em>Nhà trường</em> <u>khai giảng</u> lớp.<br>Dòng mới.</p>"
        "<ul><li>Một</li></ul><ol><li>Hai</li></ol><blockquote><p>Trích dẫn</p></blockquote>"
        '<figure><img src="/media/portal/a.png" alt="Ảnh" width="640" height="480">'
        "<figcaption>Chú thích</figcaption></figure>"
        '<table><caption>Kết quả</caption><thead><tr><th scope="col">Loại</th></tr></thead>'
        '<tbody><tr><td colspan="2">Giỏi</td></tr></tbody></table>'
    )
    assert sanitize_article_html(body) == body


def test_links_keep_safe_addresses_and_get_noopener():
    for href in ("https://binhan.example/tin", "http://binhan.example", "mailto:khoahoc@binhan.example", "/tin-tuc/"):
        clean = sanitize_article_html(f'<a href="{href}" title="Xem">Xem</a>')
        assert clean == f'<a href="{href}" title="Xem" rel="noopener noreferrer">Xem</a>'


def test_an_editors_rel_is_replaced():
    clean = sanitize_article_html('<a href="https://binhan.example" rel="opener">Xem</a>')
    assert clean == '<a href="https://binhan.example" rel="noopener noreferrer">Xem</a>'


def test_empty_bodies():
    assert sanitize_article_html("") == ""
    assert sanitize_article_html(None) == ""


def test_text_of_html_for_search():
    assert html_to_text("<p>Trung cấp</p><p>lý luận &amp; <b>hành chính</b></p><script>x()</script>") == (
        "Trung cấp lý luận & hành chính"
    )
