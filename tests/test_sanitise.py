"""Editor markdown cannot inject script: the sanitiser's allow-list holds against known evasions."""

from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest

from framing.source.markdown import markdown_to_html, resolve_links

EVASIONS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//xss.example/xss.js></SCRIPT>",
    "<IMG SRC=\"javascript:alert('XSS');\">",
    "<IMG SRC=javascript:alert('XSS')>",
    "<IMG SRC=JaVaScRiPt:alert('XSS')>",
    "<a onmouseover=\"alert(document.cookie)\">xxs link</a>",
    "<IMG \"\"\"><SCRIPT>alert(\"XSS\")</SCRIPT>\"\\>",
    "<img src=x onerror=\"&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058&#0000097&#0000108&#0000101&#0000114&#0000116&#0000040&#0000039&#0000088&#0000083&#0000083&#0000039&#0000041\">",
    "<IMG SRC=\"jav\tascript:alert('XSS');\">",
    "<BODY ONLOAD=alert('XSS')>",
    "<svg/onload=alert('XSS')>",
    "<iframe src=\"javascript:alert('XSS');\"></iframe>",
    "<a href=\"&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)\">x</a>",
    "[click](javascript:alert(1))",
    "[click](JAVASCRIPT:alert(1))",
    "<div style=\"background-image: url(javascript:alert('XSS'))\">x</div>",
    "<STYLE>@import'http://xss.example/xss.css';</STYLE>",
    "<META HTTP-EQUIV=\"refresh\" CONTENT=\"0;url=javascript:alert('XSS');\">",
    "<TABLE BACKGROUND=\"javascript:alert('XSS')\"><tr><td>x</td></tr></TABLE>",
    "<object type=\"text/x-scriptlet\" data=\"http://xss.example/scriptlet.html\"></object>",
    "<EMBED SRC=\"data:image/svg+xml;base64,PHN2ZyB4bWxuczpzdmc9Imh0dH A6Ly93d3cudzMub3JnLzIwMDAvc3ZnIiB4bWxucz0iaHR0cDovL3d3dy53My5vcmcv\" AllowScriptAccess=\"always\"></EMBED>",
    "<form action=\"javascript:alert(1)\"><input type=submit></form>",
    "<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">x</a>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>",
    "<<SCRIPT>alert(\"XSS\");//\\<</SCRIPT>",
    "<a href=\"vbscript:msgbox(1)\">x</a>",
    # more from the OWASP XSS Filter Evasion Cheat Sheet
    "<IMG SRC=`javascript:alert(\"RSnake says, 'XSS'\")`>",
    "<a href=\"javascript&colon;alert(1)\">x</a>",
    "<a href=\"jav&#x09;ascript:alert(1)\">x</a>",
    "<a href=\"jav&#x0A;ascript:alert(1)\">x</a>",
    "<a href=\" &#14;  javascript:alert(1)\">x</a>",
    "<IMG SRC=\"javascript:alert('XSS')\"",
    "<SCRIPT/XSS SRC=\"http://xss.example/xss.js\"></SCRIPT>",
    "<BODY onload!#$%&()*~+-_.,:;?@[/|\\]^`=alert(\"XSS\")>",
    "<IFRAME SRC=# onmouseover=\"alert(document.cookie)\"></IFRAME>",
    "<INPUT TYPE=\"IMAGE\" SRC=\"javascript:alert('XSS');\">",
    "<LINK REL=\"stylesheet\" HREF=\"javascript:alert('XSS');\">",
    "<BASE HREF=\"javascript:alert('XSS');//\">",
    "<DIV STYLE=\"width: expression(alert('XSS'));\">",
    "<svg><script>alert(1)</script></svg>",
    "<details open ontoggle=alert(1)>",
    "<a href=\"https://example.org\" onclick=\"alert(1)\">ok</a>",
    "<q cite=\"javascript:alert(1)\">q</q>",
    "<abbr title=\"&quot; onmouseover=alert(1) x=&quot;\">t</abbr>",
    "[x](javascript&#58;alert(1))",
    "![x](javascript:alert(1))",
    "[x]: javascript:alert(1)\n\n[y][x]",
    "<javascript:alert(1)>",
]


SAFE_TAGS = {"p", "a", "strong", "em", "code", "ul", "ol", "li", "blockquote", "br", "table", "tr", "td", "th",
             "tbody", "thead", "del", "s", "sup", "sub", "q", "cite", "abbr", "b", "i", "h3", "h4", "hr", "pre"}


class ActiveContent(HTMLParser):
    """Collects every tag, attribute and URL that could run code."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = []

    def handle_starttag(self, tag, attrs):
        if tag not in SAFE_TAGS:
            self.found.append(f"tag {tag}")
        for name, value in attrs:
            if name.startswith("on") or name in ("style", "src", "background", "action", "formaction", "data"):
                self.found.append(f"attribute {name}")
            if name in ("href", "cite") and value:
                scheme = urlsplit(value.strip()).scheme.lower()
                if scheme not in ("", "http", "https", "mailto"):
                    self.found.append(f"url {value}")


@pytest.mark.parametrize("payload", EVASIONS)
def test_no_active_content_survives(payload):
    html = resolve_links(markdown_to_html(f"注释 {payload} 结束"), lambda kind, target, fragment: "/x/")
    parser = ActiveContent()
    parser.feed(html)
    assert parser.found == [], (payload, html)


def test_ordinary_markdown_survives():
    html = markdown_to_html("**粗体**、[链接](https://example.org/a?b=1)、`代码`\n\n- 一\n- 二")
    assert "<strong>粗体</strong>" in html and '<a href="https://example.org/a?b=1">链接</a>' in html
    assert "<code>代码</code>" in html and "<li>一</li>" in html


def test_external_links_get_noopener_and_internal_links_resolve():
    html = resolve_links(markdown_to_html("[源](https://example.org) [论断](claim:x) [文](article:a#n1)"),
                         lambda kind, target, fragment: f"/{kind}/{target}/{fragment}")
    assert '<a rel="noopener noreferrer" href="https://example.org">' in html
    assert '<a href="/claim/x/">' in html and '<a href="/article/a/n1">' in html


@pytest.mark.parametrize("html", [
    '<a title="t" href="https://example.org">x</a>', '<a href="HTTPS://example.org">x</a>',
    '<a href="//example.org/x">x</a>', '<a hreflang="en" href="http://example.org">x</a>', "<https://example.org>",
])
def test_every_external_link_gets_noopener_whatever_its_form(html):
    out = resolve_links(markdown_to_html(html), lambda kind, target, fragment: "/x/")
    assert '<a rel="noopener noreferrer"' in out, out
