"""YAML that remembers where each value came from, so errors name the file, line and field."""

import re
from dataclasses import dataclass

import yaml

from kiosk.errors import DomainError


class ContentFileError(DomainError):
    def __init__(self, path, line: int | None, field: str, message: str):
        where = f"{path}:{line}" if line else f"{path}"
        super().__init__(f"{where}: {field or 'plik'}: {message}")
        self.path, self.line, self.field = str(path), line, field


@dataclass
class Source:
    """Parsed YAML plus its node tree for locating fields; `offset` is lines before the YAML text."""

    path: object
    data: object
    node: object
    offset: int = 0

    def line_of(self, field: str) -> int | None:
        """1-based line of a dotted/indexed path like "fees[2].amount"; the nearest known parent otherwise."""
        node, line = self.node, None
        for part in re.findall(r"[^.\[\]]+|\[\d+\]", field):
            if node is None:
                break
            line = node.start_mark.line + 1 + self.offset
            node = _child(node, part)
        if node is not None:
            line = node.start_mark.line + 1 + self.offset
        return line

    def error(self, field: str, message: str) -> ContentFileError:
        return ContentFileError(self.path, self.line_of(field) if field else None, field, message)


def _child(node, part: str):
    if part.startswith("[") and isinstance(node, yaml.SequenceNode):
        index = int(part[1:-1])
        return node.value[index] if index < len(node.value) else None
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if key.value == part:
                return value
    return None


def parse_yaml(path, text: str, offset: int = 0) -> Source:
    """Parse YAML text, turning syntax errors into a ContentFileError with the line."""
    try:
        loader = yaml.SafeLoader(text)
        try:
            node = loader.get_single_node()
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 + offset if mark else None
        raise ContentFileError(path, line, "", f"błędny YAML: {exc.problem or exc}") from None
    except yaml.YAMLError as exc:
        raise ContentFileError(path, None, "", f"błędny YAML: {exc}") from None
    return Source(path, data, node, offset)


def dump_yaml(data) -> str:
    """Deterministic, readable YAML with Polish letters kept."""
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=110, default_flow_style=False)


class _Dumper(yaml.SafeDumper):
    def increase_indent(self, flow=False, indentless=False):
        # Indent list items under their key, the way people write YAML by hand.
        return super().increase_indent(flow, False)


def _str_representer(dumper, value):
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str_representer)
