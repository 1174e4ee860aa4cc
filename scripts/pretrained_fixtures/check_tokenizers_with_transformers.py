#!/usr/bin/env python3
"""Checks the tokenizer fixtures' reference.tsv against Hugging Face's own tokenizers (issue 24).

Needs `transformers` (and `tokenizers`, `sentencepiece`), which Debian 12 lacks: run it where they
are, e.g. on the GPU machine (docs PLATFORM.md), from the repository root:
    python3 scripts/pretrained_fixtures/check_tokenizers_with_transformers.py
Each fixture is loaded as Foldbench reads it: vocab.txt with the slow BertTokenizer, the sentencepiece
model with the slow XLMRobertaTokenizer, tokenizer.json with PreTrainedTokenizerFast. Every row is
encoded with longest-first truncation when it has a max_length, and its ids and token type ids are
compared with reference.tsv (what the C++ tests hold Foldbench to). For the vocab.txt fixtures the
fast BertTokenizerFast (which AutoTokenizer picks) is compared too and its differences listed: they
are expected where the text is not in NFC or a truncated pair ties. Exit status 1 on any mismatch of
the first kind.
"""
import os
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
FIXTURES = os.path.join(ROOT, "tests", "fixtures", "pretrained", "tokenizers")


def unescape(text):
    out, i = [], 0
    while i < len(text):
        if text[i] == "\\" and i + 1 < len(text):
            out.append({"t": "\t", "n": "\n", "r": "\r", "0": "\0"}.get(text[i + 1], text[i + 1]))
            i += 2
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def rows(folder):
    with open(os.path.join(folder, "reference.tsv"), encoding="utf-8", newline="\n") as f:
        for number, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            text, pair, max_length, ids, types = line.split("\t")
            yield number, unescape(text), None if pair == "\\N" else unescape(pair), int(max_length), \
                [int(x) for x in ids.split()], [int(x) for x in types.split()]


def encode(tokenizer, text, pair, max_length):
    kwargs = {"return_token_type_ids": True, "add_special_tokens": True}
    if max_length:
        kwargs.update(truncation="longest_first", max_length=max_length)
    out = tokenizer(text, pair, **kwargs) if pair is not None else tokenizer(text, **kwargs)
    return list(out["input_ids"]), list(out["token_type_ids"])


def compare(name, tokenizer, folder, label):
    bad = 0
    for number, text, pair, max_length, ids, types in rows(folder):
        got_ids, got_types = encode(tokenizer, text, pair, max_length)
        if got_ids != ids or got_types != types:
            bad += 1
            print(f"{name} ({label}) line {number}: {text[:40]!r}\n  reference {ids} {types}\n  "
                  f"transformers {got_ids} {got_types}")
    return bad


def main():
    import transformers
    print("transformers", transformers.__version__)
    from transformers import BertTokenizer, BertTokenizerFast, PreTrainedTokenizerFast, XLMRobertaTokenizer
    failures = 0
    for name in sorted(os.listdir(FIXTURES)):
        folder = os.path.join(FIXTURES, name)
        if os.path.exists(os.path.join(folder, "vocab.txt")):
            failures += compare(name, BertTokenizer.from_pretrained(folder), folder, "BertTokenizer")
            fast = compare(name, BertTokenizerFast.from_pretrained(folder), folder, "BertTokenizerFast, informative")
            print(f"{name}: BertTokenizerFast differs on {fast} rows (NFC and pair-truncation ties expected)")
        elif os.path.exists(os.path.join(folder, "sentencepiece.bpe.model")):
            failures += compare(name, XLMRobertaTokenizer.from_pretrained(folder), folder, "XLMRobertaTokenizer")
        else:
            failures += compare(name, PreTrainedTokenizerFast(tokenizer_file=os.path.join(folder, "tokenizer.json")),
                                folder, "PreTrainedTokenizerFast")
        print(f"{name}: checked")
    print("mismatches:", failures)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
