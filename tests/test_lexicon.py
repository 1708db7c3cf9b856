"""The dictionaries kg reads from jieba."""

import marshal
import tempfile
from pathlib import Path


def test_word_tags_are_jiebas_part_of_speech_table_and_kept_for_the_next_start():
    import jieba.posseg

    from graph import lexicon

    tags = lexicon.word_tags()
    jieba.dt.check_initialized()
    assert tags == jieba.posseg.dt.word_tag_tab
    kept = list(Path(tempfile.gettempdir()).glob("kg-word-tags-*.marshal"))
    assert kept and any(marshal.loads(p.read_bytes()) == tags for p in kept)
