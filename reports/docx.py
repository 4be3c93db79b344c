"""Every printed document also as an editable Word file, in the same layout (HD 36-HD/VPTW).

A document's template (`templates/reports/*.html`) is its one source: WeasyPrint prints it to
PDF (`reports.pdf.html_to_pdf`) and `html_to_docx` writes the same HTML with python-docx. It
reads the small vocabulary the templates share (`_document_style.html`): the header and the
signature block as borderless two-column tables, the document type and subject, headings,
paragraphs, dash lists, bordered tables with merged header cells (repeated on every page),
captions, notes and blank lines to fill by hand. Times New Roman 14 on A4, margins 20 mm top and
bottom, 30 mm left, 20 mm right; page numbers at the foot from the second page. Typed text
arrives escaped by the template, so markup a user typed is printed as text here too.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, replace

from django.utils import timezone
from docx import Document
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt
from lxml import html as lxml_html

FONT = "Times New Roman"
TEXT_WIDTH = Mm(210 - 30 - 20)
_SPACES = re.compile(r"\s+")
_STYLE = re.compile(r"([a-z-]+)\s*:\s*([^;]+)")


@dataclass(frozen=True)
class Look:
    """How a run of text is set: what the element and its classes ask for."""

    size: float = 14
    bold: bool | None = None
    italic: bool | None = None
    underline: bool = False
    keep_spaces: bool = False


def _classes(element) -> set[str]:
    return set((element.get("class") or "").split())


def _style(element) -> dict[str, str]:
    return {k: v.strip() for k, v in _STYLE.findall(element.get("style") or "")}


def _styled(look: Look, element) -> Look:
    """`look` with the element's own weight, slant and size (tags, classes, inline style)."""
    classes = _classes(element)
    if element.tag in ("strong", "b", "th") or classes & {"issuer", "signer", "signer-name"}:
        look = replace(look, bold=True)
    if element.tag in ("em", "i") or classes & {"date", "quote", "caption", "table-note"}:
        look = replace(look, italic=True)
    if "party" in classes:
        look = replace(look, bold=True, underline=True, size=15)
    if "recipients-title" in classes:
        look = replace(look, underline=True)
    if "recipients" in classes:
        look = replace(look, size=12)
    if "caption" in classes:
        look = replace(look, size=12)
    if "table-note" in classes:
        look = replace(look, size=11)
    if "docnumber" in classes:
        look = replace(look, keep_spaces=True)
    style = _style(element)
    if style.get("font-size", "").endswith("pt"):
        look = replace(look, size=float(style["font-size"][:-2]))
    if style.get("font-weight") == "bold":
        look = replace(look, bold=True)
    elif style.get("font-weight") == "normal":
        look = replace(look, bold=False)
    return look


def _text(text: str | None, look: Look) -> str:
    if not text:
        return ""
    return text if look.keep_spaces else _SPACES.sub(" ", text)


def _run(paragraph, text: str, look: Look) -> None:
    if not text:
        return
    run = paragraph.add_run(text)
    run.font.size = Pt(look.size)
    if look.bold is not None:
        run.bold = look.bold
    if look.italic is not None:
        run.italic = look.italic
    if look.underline:
        run.underline = True


def _inline(paragraph, element, look: Look) -> None:
    """The element's text and inline children as runs (bold, italic, line breaks)."""
    _run(paragraph, _text(element.text, look), look)
    for child in element:
        if child.tag == "br":
            paragraph.add_run().add_break()
        elif isinstance(child.tag, str):
            _inline(paragraph, child, _styled(look, child))
        _run(paragraph, _text(child.tail, look), look)


def _trim(paragraph) -> None:
    """Drop the spaces HTML would not show at the start and the end of a paragraph."""
    runs = [run for run in paragraph.runs if run.text]
    if runs:
        runs[0].text = runs[0].text.lstrip()
        runs[-1].text = runs[-1].text.rstrip()


@dataclass(frozen=True)
class Place:
    """Where blocks go and how paragraphs sit there."""

    container: object
    look: Look = Look()
    indent: bool = True
    left: Cm | None = None
    align: int | None = None


def _paragraph(place: Place, *, align=None, indent: bool | None = None):
    container = place.container
    # A new table cell holds one empty paragraph: write into it first.
    cell_paragraphs = getattr(container, "paragraphs", None)
    if (
        hasattr(container, "merge")
        and cell_paragraphs
        and len(cell_paragraphs) == 1
        and not cell_paragraphs[0].runs
    ):
        paragraph = cell_paragraphs[0]
    else:
        paragraph = container.add_paragraph()
    fmt = paragraph.paragraph_format
    align = align if align is not None else place.align
    fmt.alignment = align if align is not None else WD_ALIGN_PARAGRAPH.JUSTIFY
    if indent if indent is not None else place.indent:
        fmt.first_line_indent = Cm(1)
    if place.left is not None:
        fmt.left_indent = place.left
    return paragraph


def _text_block(place: Place, element, look: Look, **options):
    paragraph = _paragraph(place, **options)
    _inline(paragraph, element, look)
    _trim(paragraph)
    return paragraph


def _blocks(place: Place, element) -> None:
    """Write the element's children as Word blocks into `place`."""
    if element.text and element.text.strip():
        _text_block(place, element, place.look)
        return
    for child in element:
        if isinstance(child.tag, str):
            _block(place, child)


def _block(place: Place, element) -> None:
    tag, classes = element.tag, _classes(element)
    look = _styled(place.look, element)
    center = WD_ALIGN_PARAGRAPH.CENTER
    style = _style(element)
    align = {"center": center, "right": WD_ALIGN_PARAGRAPH.RIGHT}.get(style.get("text-align", ""))
    if tag in ("style", "script", "title", "meta", "head"):
        return
    if tag == "table" and classes & {"letterhead", "signature"}:
        _frame(place, element, look)
    elif tag == "table":
        _data_table(place, element, "small" in classes)
    elif tag == "h1":
        size = style.get("font-size", "16pt")
        paragraph = _text_block(
            place,
            element,
            replace(look, bold=True, size=float(size[:-2])),
            align=center,
            indent=False,
        )
        paragraph.paragraph_format.space_before = Pt(18 if size == "16pt" else 12)
        paragraph.paragraph_format.keep_with_next = True
    elif tag in ("h2", "h3"):
        paragraph = _text_block(
            place, element, replace(look, bold=True, italic=tag == "h3" or None), indent=True
        )
        paragraph.paragraph_format.space_before = Pt(8)
        paragraph.paragraph_format.keep_with_next = True
    elif classes & {"subject", "subject-rule"}:
        _text_block(
            place,
            element,
            replace(look, bold="subject" in classes or None),
            align=center,
            indent=False,
        )
    elif tag == "ul":
        for item in element.iter("li"):
            paragraph = _text_block(place, item, look)
            if not paragraph.runs:
                paragraph.add_run()
            paragraph.runs[0].text = "- " + paragraph.runs[0].text
    elif "blank-line" in classes:
        _paragraph(place, indent=False).add_run("." * 95).font.size = Pt(14)
    elif "issue" in classes:
        _blocks(replace(place, look=look, indent=False, left=Cm(1)), element)
    elif tag == "p" or "caption" in classes:
        indent = place.indent and not classes & {"flush", "table-note", "caption"}
        if "caption" in classes:
            align = WD_ALIGN_PARAGRAPH.RIGHT
        paragraph = _text_block(place, element, look, indent=indent, align=align)
        if "caption" in classes:
            paragraph.paragraph_format.keep_with_next = True
        previous = paragraph._p.getprevious()
        if "table-note" not in classes and previous is not None and previous.tag == qn("w:tbl"):
            paragraph.paragraph_format.space_before = Pt(8)  # the table's margin, as in the PDF
    else:
        paragraphs = getattr(place.container, "paragraphs", [])
        before = len(paragraphs)
        _blocks(
            replace(place, look=look, align=align if align is not None else place.align), element
        )
        if "keep" in classes:
            # Kept together, as the PDF keeps it: each paragraph stays with what follows (a
            # table that follows keeps its rows whole).
            for paragraph in place.container.paragraphs[before:]:
                paragraph.paragraph_format.keep_with_next = True


def _borderless(table) -> None:
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        line = OxmlElement(f"w:{edge}")
        line.set(qn("w:val"), "nil")
        borders.append(line)
    table._tbl.tblPr.insert_element_before(
        borders, "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook"
    )


def _narrow_cell_margins(table) -> None:
    """Cell padding as the PDF's (2–3 pt), not Word's 0.19 cm, so figures fit their columns."""
    margins = OxmlElement("w:tblCellMar")
    for edge in ("left", "right"):
        margin = OxmlElement(f"w:{edge}")
        margin.set(qn("w:w"), "57")  # twentieths of a point: 2.85 pt
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    table._tbl.tblPr.insert_element_before(margins, "w:tblLook")


def _frame(place: Place, element, look: Look) -> None:
    """The header or the signature block: two borderless columns (HD 36-HD/VPTW)."""
    cells = list(element.iter("td"))
    is_header = "letterhead" in _classes(element)
    #: Minutes are signed by two, side by side: the secretary and the chair.
    two_signers = "two-signers" in _classes(element)
    table = place.container.add_table(rows=1, cols=len(cells))
    _borderless(table)
    # The header reaches a little into the margins, as the official templates do, so the
    # superior body's name fits on one line.
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _keep_row_whole(table.rows[0])
    if is_header:
        widths = (Cm(9.3), Cm(8.2))
    else:
        widths = (Mm(80), Mm(80)) if two_signers else (Mm(72), Mm(88))
    for index, td in enumerate(cells):
        cell = table.rows[0].cells[index]
        table.columns[index].width = cell.width = widths[index]
        centred = is_header or two_signers or index > 0
        cell_place = Place(
            container=cell,
            look=look,
            indent=False,
            align=WD_ALIGN_PARAGRAPH.CENTER if centred else WD_ALIGN_PARAGRAPH.LEFT,
        )
        for div in td:
            if not isinstance(div.tag, str):
                continue
            classes = _classes(div)
            if "sign-space" in classes:
                _paragraph(cell_place).paragraph_format.space_after = Cm(2.5)
            elif "recipients" in classes:
                for line in div:
                    paragraph = _text_block(cell_place, line, _styled(look, div))
                    fmt = paragraph.paragraph_format
                    fmt.space_after = Pt(0)
                    # A wrapped recipient line hangs under its text, not under the dash.
                    fmt.left_indent, fmt.first_line_indent = Cm(0.3), Cm(-0.3)
            else:
                paragraph = _text_block(cell_place, div, _styled(look, div))
                paragraph.paragraph_format.space_after = Pt(0)
                if "date" in classes:
                    paragraph.paragraph_format.space_before = Pt(10)


def _data_table(place: Place, element, small: bool) -> None:
    """A bordered table: merged cells from rowspan/colspan, the header repeated on every page,
    numbers right-aligned, rows kept whole."""
    rows = [(tr, tr.getparent().tag == "thead") for tr in element.iter("tr")]
    grid: dict[tuple[int, int], bool] = {}
    placed = []
    columns = 0
    for r, (tr, _is_head) in enumerate(rows):
        c = 0
        for td in tr:
            if td.tag not in ("td", "th"):
                continue
            while grid.get((r, c)):
                c += 1
            rowspan, colspan = int(td.get("rowspan", 1)), int(td.get("colspan", 1))
            for dr in range(rowspan):
                for dc in range(colspan):
                    grid[(r + dr, c + dc)] = True
            placed.append((r, c, rowspan, colspan, td, tr))
            c += colspan
            columns = max(columns, c)
    table = place.container.add_table(rows=len(rows), cols=columns)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _narrow_cell_margins(table)
    size = 10 if small else 11
    widths = _column_widths(placed, columns, size)
    for index, column in enumerate(table.columns):
        column.width = widths[index]
    for row in table.rows:
        for index, cell in enumerate(row.cells):
            cell.width = widths[index]
    for row, (_tr, is_head) in zip(table.rows, rows, strict=True):
        _keep_row_whole(row, repeat=is_head)
    for r, c, rowspan, colspan, td, tr in placed:
        cell = table.cell(r, c)
        if rowspan > 1 or colspan > 1:
            cell = cell.merge(table.cell(r + rowspan - 1, c + colspan - 1))
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        classes = _classes(td)
        look = Look(size=size, bold=True if _classes(tr) & {"strong", "over"} else None)
        look = _styled(look, td)
        if td.tag == "th" or "c" in classes:
            align = WD_ALIGN_PARAGRAPH.CENTER
        elif "n" in classes:
            align = WD_ALIGN_PARAGRAPH.RIGHT
        else:
            align = WD_ALIGN_PARAGRAPH.LEFT
        paragraph = _text_block(
            Place(container=cell, look=look, indent=False), td, look, align=align
        )
        fmt = paragraph.paragraph_format
        fmt.space_after = Pt(0)
        if "detail" in classes:
            fmt.left_indent = Pt(12)


def _keep_row_whole(row, *, repeat: bool = False) -> None:
    """A row never split across pages; a header row (`repeat`) printed again on each page."""
    properties = row._tr.get_or_add_trPr()
    properties.append(OxmlElement("w:cantSplit"))
    if repeat:
        properties.append(OxmlElement("w:tblHeader"))


def _column_widths(placed, columns: int, size: float) -> list[int]:
    """The widths the header cells ask for (`style="width:8%"`), the other columns sharing the
    rest; then widened so that no figure or word breaks (Word cannot keep a cell's text on
    one line as the PDF does), taking the room from the columns that have some to spare."""
    asked: dict[int, float] = {}
    needed = [0.0] * columns
    for _r, c, _rowspan, colspan, td, _tr in placed:
        width = _style(td).get("width", "")
        if colspan == 1 and width.endswith("%"):
            asked[c] = float(width[:-1]) / 100
        longest = max((len(word) for word in td.text_content().split()), default=0)
        # A Times New Roman glyph is about half the font size wide; bold capitals about 3/4.
        need = (longest * size * (0.72 if td.tag == "th" else 0.5) + 7) / (TEXT_WIDTH / 12700)
        for spanned in range(c, c + colspan):  # a merged header shares its need
            needed[spanned] = max(needed[spanned], need / colspan)
    free = [c for c in range(columns) if c not in asked]
    rest = max(0.0, 1 - sum(asked.values())) / len(free) if free else 0.0
    shares = [max(asked.get(c, rest), needed[c]) for c in range(columns)]
    excess = sum(shares) - 1
    if excess > 0:
        slack = [max(0.0, share - need) for share, need in zip(shares, needed, strict=True)]
        total_slack = sum(slack)
        if total_slack:
            cut = min(1.0, excess / total_slack)
            shares = [share - s * cut for share, s in zip(shares, slack, strict=True)]
    return [int(TEXT_WIDTH * share) for share in shares]


def _page_number_footer(document) -> None:
    """Page numbers at the foot, centred, from the second page (as the PDF prints them)."""
    section = document.sections[0]
    section.different_first_page_header_footer = True
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def new_document():
    """An empty Word document set up as a party document: A4, margins, Times New Roman 14."""
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = section.bottom_margin = Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(20)
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(14)
    properties = normal.element.get_or_add_rPr()
    properties.get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    language = OxmlElement("w:lang")  # Vietnamese, so Word checks the spelling as Vietnamese
    language.set(qn("w:val"), "vi-VN")
    properties.append(language)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.1
    grid = document.styles["Table Grid"]
    grid.font.name = FONT
    _page_number_footer(document)
    return document


def html_to_docx(html: str, *, title: str = "", author: str = "") -> bytes:
    """The document of `html` (one of our report templates, rendered) as .docx bytes."""
    tree = lxml_html.document_fromstring(html)
    document = new_document()
    properties = document.core_properties
    properties.title = title or (tree.findtext(".//title") or "").strip()
    properties.author = author or next(
        (m.get("content", "") for m in tree.iter("meta") if m.get("name") == "author"), ""
    )
    now = timezone.now()
    properties.created = properties.modified = now
    properties.last_modified_by = properties.author
    properties.comments = ""
    properties.language = "vi-VN"
    body = tree.find("body")
    _blocks(Place(container=document), body)
    # Word ends a document with a paragraph; after a closing table (the signature block) keep
    # it a hairline, so it never makes a page of its own.
    closing = document.add_paragraph()
    closing.paragraph_format.space_before = closing.paragraph_format.space_after = Pt(0)
    closing.paragraph_format.line_spacing = Pt(1)
    closing.add_run().font.size = Pt(1)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
