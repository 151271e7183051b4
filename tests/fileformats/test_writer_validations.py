"""The writer's data validations: drop-downs and whole-number bounds that openpyxl (and LibreOffice) read back."""

import io

import openpyxl
import pytest

from fileformats.writer import Sheet, Validation, write_xlsx


def written(validations, rows=(("a", 1),)):
    buffer = io.BytesIO()
    write_xlsx([Sheet(title="t", headers=["status", "progress"], rows=list(rows), validations=validations)], buffer)
    buffer.seek(0)
    return openpyxl.load_workbook(buffer).active


def test_a_list_and_a_whole_number_validation_are_read_back():
    sheet = written(
        [
            Validation.choice(0, ["شروع نشده", "در حال اجرا", "متوقف / با تأخیر"], title="وضعیت"),
            Validation.whole_number(1, 0, 100, title="پیشرفت"),
        ]
    )
    status, progress = sheet.data_validations.dataValidation
    assert (status.type, str(status.sqref)) == ("list", "A2:A1048576")
    assert status.formula1 == '"شروع نشده,در حال اجرا,متوقف / با تأخیر"'
    assert status.showErrorMessage
    assert status.errorStyle == "stop"
    assert "شروع نشده" in status.error
    assert (progress.type, progress.operator, progress.formula1, progress.formula2) == ("whole", "between", "0", "100")
    assert str(progress.sqref) == "B2:B1048576"


def test_a_sheet_without_validations_has_none():
    assert written([]).data_validations.dataValidation == []


@pytest.mark.parametrize("labels", [["a,b", "c"], ['say "x"', "y"], ["x" * 200, "y" * 60]])
def test_labels_a_list_validation_cannot_hold_are_refused_when_the_sheet_is_built(labels):
    with pytest.raises(ValueError, match="drop-down"):
        Validation.choice(0, labels)


def test_markup_in_labels_is_escaped():
    sheet = written([Validation.choice(0, ["<b>&</b>", "ok"])])
    assert sheet.data_validations.dataValidation[0].formula1 == '"<b>&</b>,ok"'
