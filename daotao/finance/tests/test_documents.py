"""The receipt's amount in words, as Vietnamese write it."""

import pytest

from daotao.finance.documents import amount_in_words


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        (0, "Không đồng"),
        (15, "Mười lăm đồng"),
        (21, "Hai mươi mốt đồng"),
        (105, "Một trăm linh năm đồng"),
        (250_000, "Hai trăm năm mươi nghìn đồng"),
        (1_500_000, "Một triệu năm trăm nghìn đồng"),
        (2_500_000, "Hai triệu năm trăm nghìn đồng"),
        (1_005_000, "Một triệu không trăm linh năm nghìn đồng"),
        (1_000_015, "Một triệu không trăm mười lăm đồng"),
        (45_011_000, "Bốn mươi lăm triệu không trăm mười một nghìn đồng"),
        (10_000_000_000, "Mười tỷ đồng"),
        (237_695_000, "Hai trăm ba mươi bảy triệu sáu trăm chín mươi lăm nghìn đồng"),
    ],
)
def test_amount_in_words(amount, words):
    assert amount_in_words(amount) == words
