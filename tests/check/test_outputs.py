"""Executed outputs pasted into pages: what counts, and where it is reported."""

from __future__ import annotations

from polybook.check.outputs import pasted_outputs
from tests.conftest import parse_text

PAGE = """# Title

```{.python .input}
x = 1
x
```

```{.json .output n=1}
[{"data": {"text/plain": "1"}, "output_type": "execute_result"}]
```

```{.python .input}
y = 2
```


```
Out[3]: 2
```

Text.

```
Out[4]: a listing after prose is an example, not an output
```

```{.python .input}
In [5]: z = 3
```

```text
---------------------------------------------------------------------------
ValueError                                Traceback (most recent call last)
Cell In[2], line 1
```

```{.python .input}
1 / 0
```
```
Traceback (most recent call last):
  File "<stdin>", line 1, in <module>
ZeroDivisionError: division by zero
```

A plot: ![plot](data:image/png;base64,iVBORw0KGgo=) and ![fig](../img/x.svg).
"""


def test_each_kind_of_pasted_output_at_its_line() -> None:
    found = pasted_outputs(parse_text(PAGE))
    assert [(d.code, d.severity.value, d.line) for d in found] == [
        ("PB430", "error", 8),  # the .output fence
        ("PB430", "error", 18),  # Out[3]: first line of a listing right after code
        ("PB430", "error", 28),  # an In [5]: prompt inside a code cell
        ("PB431", "warning", 33),  # IPython's traceback header after a code cell
        ("PB431", "warning", 41),  # Python's traceback after a code cell
        ("PB430", "error", 46),  # a data: URL image
    ]
    assert "class .output" in found[0].message


def test_a_clean_page_has_none() -> None:
    text = "# T\n\n```{.python .input}\nprint(1)\n```\n\n```\nan output shown as a listing\n```\n"
    assert pasted_outputs(parse_text(text)) == []
