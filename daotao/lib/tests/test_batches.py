"""Batches under the database's limits."""

from daotao.lib.batches import IN_CHUNK, chunks


def test_chunks_cover_the_values_in_order_without_overlap():
    assert list(chunks([1, 2, 3, 4, 5], 2)) == [[1, 2], [3, 4], [5]]
    assert list(chunks([], 2)) == []
    values = list(range(IN_CHUNK * 2 + 1))
    assert [len(chunk) for chunk in chunks(values)] == [IN_CHUNK, IN_CHUNK, 1]
    assert [value for chunk in chunks(values) for value in chunk] == values


def test_a_chunk_stays_under_sqlites_oldest_parameter_limit():
    assert IN_CHUNK < 999
