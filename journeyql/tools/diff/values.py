"""Model values as JSON data and as one line of text: how a diff shows what it compares."""

from __future__ import annotations

def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _number(value: float):
    """Numbers as written: 3 rather than 3.0."""
    return int(value) if float(value).is_integer() else value


def _g(value: float) -> str:
    return f"{value:g}"


def _describe(obj) -> str:
    """A nested model object as one line of text, complete enough that two differ when the objects do."""
    text = _describe_own(obj)
    translations = getattr(obj, "translations", None)
    if translations and type(obj).__name__ in _DESCRIBED:
        text += " [" + "; ".join(f"{key}.{locale} {translations[locale][key]}"
                                 for locale in sorted(translations) for key in sorted(translations[locale])) + "]"
    return text


_DESCRIBED = {"Action", "FailPoint", "WaitPoint", "KPI", "Sample", "CausalLink", "Flow", "MomentOfTruth", "Emotion",
              "Scale", "Money", "Duration"}


def _describe_own(obj) -> str:
    name = type(obj).__name__
    if name == "Action":
        extra = ([f"owner {obj.owner}"] if obj.owner else []) + ([f"systems {', '.join(obj.systems)}"] if obj.systems else [])
        return obj.text + (f" [{'; '.join(extra)}]" if extra else "")
    if name == "FailPoint":
        return obj.text + (f" [at {obj.touchpoint}]" if obj.touchpoint else "")
    if name == "WaitPoint":
        return obj.duration.text + (f": {obj.text}" if obj.text else "")
    if name == "KPI":
        subject = f"{obj.subject}." if obj.subject else ""
        return f"{subject}{obj.metric} {obj.op} {_g(obj.value)}{'%' if obj.unit == 'percent' else ''}"
    if name == "Sample":
        parts = ([f"after {', '.join(obj.after)}"] if obj.after else []) + (["end"] if obj.end else [])
        return " and ".join(parts) or "never"
    if name == "CausalLink":
        extra = ([f"rate {_g(obj.rate)}%"] if obj.rate is not None else []) + \
                ([f"strength {_g(obj.strength)}"] if obj.strength is not None else []) + \
                ([f"note {obj.note}"] if obj.note else [])
        return " -> ".join(obj.path) + (f" ({'; '.join(extra)})" if extra else "")
    if name == "Flow":
        return obj.kind + (f": {obj.text}" if obj.text else "")
    if name == "MomentOfTruth":
        return obj.polarity + (f": {obj.text}" if obj.text else "")
    if name == "Emotion":
        return _g(obj.score) + (f" ({', '.join(obj.emotions)})" if obj.emotions else "")
    if name == "Scale":
        return f"{_g(obj.low)}..{_g(obj.high)}"
    if name == "Money":
        return f"{_g(obj.amount)} {obj.currency}"
    if name == "Duration":
        return obj.text
    return _describe_generic(obj)


def _describe_generic(obj) -> str:
    head = getattr(obj, "id", None) or getattr(obj, "kind", None) or type(obj).__name__.lower()
    parts = []
    for name, info in type(obj).model_fields.items():
        if name in ("span", "id") or (name == "kind" and head == obj.kind):
            continue
        value = getattr(obj, name)
        if value in (None, (), {}) or value == info.default:
            continue
        if name == "translations":
            for locale in sorted(value):
                for key in sorted(value[locale]):
                    parts.append(f"{key}.{locale} {value[locale][key]}")
            continue
        parts.append(f"{name} {_text(_value(value))}")
    return head + (f" ({'; '.join(parts)})" if parts else "")


def _value(value):
    """A model value as JSON data: nested objects become one line of text each."""
    if value is None or isinstance(value, (str, bool)):
        return value
    if _is_number(value):
        return _number(value)
    if isinstance(value, (tuple, list)):
        return [_value(v) for v in value]
    if isinstance(value, dict):
        return {k: _value(v) for k, v in sorted(value.items())}
    if hasattr(type(value), "model_fields"):
        return _describe(value)
    return str(value)


def _text(value) -> str:
    """A JSON value as plain text (inside descriptions)."""
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if _is_number(value):
        return _g(value)
    if isinstance(value, list):
        return ", ".join(_text(v) for v in value) or "none"
    return str(value)
