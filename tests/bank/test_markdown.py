from apps.bank.markdown import render_markdown


def test_it_renders_markdown():
    html = render_markdown("**bold** and `code`\n\n```\nx = 1\n```")
    assert "<strong>bold</strong>" in html
    assert "<code>code</code>" in html
    assert "<pre><code>x = 1" in html


def test_it_strips_scripts_and_event_handlers():
    html = render_markdown('<script>alert(1)</script><img src=x onerror="alert(1)"> hi')
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;" in html  # raw HTML is shown as text, never passed through


def test_it_drops_javascript_links():
    html = render_markdown("[click](javascript:alert(1))")
    assert "<a" not in html  # CommonMark refuses the link: the text stays text


def test_it_marks_links_noopener():
    html = render_markdown("[docs](https://slsa.dev/spec/v1.0/)")
    assert 'href="https://slsa.dev/spec/v1.0/"' in html
    assert "noopener" in html
