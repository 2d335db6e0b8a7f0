"""Small static files of every site: the switcher template and the stylesheet."""

from __future__ import annotations

SWITCHER_TEMPLATE = """\
{#- polybook: links to this page in the other languages and frameworks -#}
{%- if pb_languages|length > 1 or pb_sites|length > 1 %}
<nav class="pb-switcher" aria-label="{{ pb_words.language }} / {{ pb_words.framework }}">
{%- if pb_languages|length > 1 %}
  <div class="pb-switcher-group pb-languages">
    <p class="pb-switcher-title">{{ pb_words.language }}</p>
    <ul>
    {%- for item in pb_languages %}
      <li><a href="{{ item.url }}" hreflang="{{ item.code }}" lang="{{ item.code }}"
        class="pb-switch{% if item.current %} pb-current{% endif %}"
        data-pb-lang="{{ item.code }}">{{ item.name }}</a></li>
    {%- endfor %}
    </ul>
  </div>
{%- endif %}
{%- if pb_sites|length > 1 %}
  <div class="pb-switcher-group pb-frameworks">
    <p class="pb-switcher-title">{{ pb_words.framework }}</p>
    <ul>
    {%- for item in pb_sites %}
      <li><a href="{{ item.url }}"
        class="pb-switch{% if item.current %} pb-current{% endif %}"
        data-pb-site="{{ item.code }}">{{ item.name }}</a></li>
    {%- endfor %}
    </ul>
  </div>
{%- endif %}
</nav>
{%- endif %}
"""

STYLESHEET = """\
/* polybook: switchers, notices and framework tabs */
.pb-switcher { font-size: 0.85rem; margin: 0.5rem 0 1rem; }
.pb-switcher-title { font-weight: 600; margin: 0.25rem 0; }
.pb-switcher ul { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap;
  gap: 0.25rem 0.75rem; }
.pb-switcher a.pb-current { font-weight: 700; text-decoration: underline; }
.pb-notice { margin-top: 0.5rem; }
.sd-tab-set.pb-tabs > .sd-tab-content { padding-top: 0.25rem; }
.sd-tab-set.pb-tabs > .sd-tab-content > .cell { margin-top: 0.25rem; }
.sd-tab-set.pb-tabs > label.pb-tab-fill { font-style: italic; }
"""
