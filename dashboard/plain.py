"""The one way data reaches the page: as plain text.

Streamlit renders Markdown in st.write, st.markdown, captions, labels and link buttons:
images (which the browser fetches from any host, with nothing clicked), bold, LaTeX and
:emoji: codes. Anything that comes from the dataset (summaries, outlets, titles, URLs,
region codes, validation messages that quote cells) is therefore shown only through the
functions here, which escape it as HTML and hand it to st.html or st.text, where no
Markdown is interpreted. Links are drawn only for http(s) URLs and never send a referrer.
"""

from __future__ import annotations

import html

import streamlit as st

STYLE = "rm-plain"


def escape(value: object) -> str:
    """HTML-escaped text of any value; None and NaN become empty.

    >>> escape('![x](http://evil.example/p.png) <b>:smile:</b>')
    '![x](http://evil.example/p.png) &lt;b&gt;:smile:&lt;/b&gt;'
    >>> escape(None), escape(float("nan"))
    ('', '')
    """
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return html.escape(str(value), quote=True)


def web_url(url: object) -> str | None:
    """The URL if it is http(s), else None: data never becomes a javascript: or data: link.

    >>> web_url("https://meduza.io/x"), web_url(" JavaScript:alert(1)"), web_url("data:text/html,x")
    ('https://meduza.io/x', None, None)
    """
    return url if isinstance(url, str) and url.lower().startswith(("http://", "https://")) else None


def link_html(label: object, url: object) -> str:
    """An <a> to a web URL with the label as text; a non-web URL is shown as text only.

    >>> link_html("A <b>", "https://x.example/?a=1&b=2")
    '<a href="https://x.example/?a=1&amp;b=2" rel="noopener noreferrer nofollow" target="_blank">A &lt;b&gt;</a>'
    >>> link_html("x", "javascript:alert(1)")
    '<span>x</span>'
    """
    href = web_url(url)
    if href is None:
        return f"<span>{escape(label)}</span>"
    return f'<a href="{escape(href)}" rel="noopener noreferrer nofollow" target="_blank">{escape(label)}</a>'


def internal_link_html(label: object, query: str) -> str:
    """A link to a view of this app (a `?key=value` query), opened in the same tab."""
    return f'<a href="?{escape(query)}" target="_self">{escape(label)}</a>'


def show(text: object, tag: str = "p", muted: bool = False) -> None:
    """One paragraph of data as plain text."""
    style = ' style="opacity:0.75;font-size:0.9em"' if muted else ""
    st.html(f'<{tag} class="{STYLE}"{style}>{escape(text)}</{tag}>')


def show_html(fragment: str) -> None:
    """A fragment built from this module's escaped pieces (escape, link_html)."""
    st.html(f'<div class="{STYLE}">{fragment}</div>')


def show_lines(lines: list[str]) -> None:
    """Several lines of data (validation messages quote raw cells) as preformatted text."""
    st.text("\n".join(str(line) for line in lines))
