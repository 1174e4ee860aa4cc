#!/usr/bin/python3
"""Reference tokenizers for Foldbench's pretrained-model import (issue 24), and the tokenizer fixtures.

An independent plain-Python implementation of the published tokenizer rules (docs PRETRAINED.md):
  * WordPiece from vocab.txt as Hugging Face's slow BertTokenizer does it (per-character lower-casing
    of the text outside special tokens, BERT's basic tokenizer with NFC, greedy longest-match-first);
  * XLM-R's sentencepiece.bpe.model through python sentencepiece, with the fairseq id offset;
  * tokenizer.json (the fast-tokenizer format) as the `tokenizers` library runs it: normalizers,
    pre-tokenizers, a WordPiece or Unigram model (its own Viterbi) and a post-processor, with the
    library's longest-first pair truncation.
It uses only the standard library (unicodedata, str.lower, re) and python3-sentencepiece (Debian).

Run with /usr/bin/python3 from the repository root:
    /usr/bin/python3 scripts/pretrained_fixtures/reference_tokenizers.py
It (re)writes tests/fixtures/pretrained/tokenizers/<name>/ deterministically. The C++ tests
(tests/core/pretrained/tokenizer_test.cpp) compare every row of each reference.tsv.
The model fixture script (make_models.py) imports write_wordpiece, write_xlmr_spm,
write_tokenizer_json, load_reference and sample_lines from here.
"""
import collections
import json
import os
import re
import sys
import unicodedata

# ----------------------------------------------------------------------------------------------
# Unicode predicates, as BERT's tokenizers define them.

CJK_RANGES = [(0x4E00, 0x9FFF), (0x3400, 0x4DBF), (0x20000, 0x2A6DF), (0x2A700, 0x2B73F),
              (0x2B740, 0x2B81F), (0x2B820, 0x2CEAF), (0xF900, 0xFAFF), (0x2F800, 0x2FA1F)]


def is_cjk(ch):
    cp = ord(ch)
    return any(lo <= cp <= hi for lo, hi in CJK_RANGES)


def is_bert_whitespace(ch):
    return ch in " \t\n\r" or unicodedata.category(ch) == "Zs"


def is_bert_control(ch):
    if ch in "\t\n\r":
        return False
    return unicodedata.category(ch).startswith("C")


def is_bert_punctuation(ch):
    cp = ord(ch)
    if 33 <= cp <= 47 or 58 <= cp <= 64 or 91 <= cp <= 96 or 123 <= cp <= 126:
        return True
    return unicodedata.category(ch).startswith("P")


# The Unicode White_Space property (what Rust's char::is_whitespace and regex \s test). Python's
# str.isspace() adds U+001C..U+001F, which are not White_Space.
WHITE_SPACE = set(map(chr, list(range(0x09, 0x0E)) + [0x20, 0x85, 0xA0, 0x1680] + list(range(0x2000, 0x200B))
                      + [0x2028, 0x2029, 0x202F, 0x205F, 0x3000]))


def is_white_space(ch):
    return ch in WHITE_SPACE


def lower_each(text):
    """Full lower-case mapping character by character (no final-sigma context), as both HF paths do."""
    return "".join(c.lower() for c in text)


def strip_mn(text):
    return "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")


# ----------------------------------------------------------------------------------------------
# Added (special) tokens: split out of the raw text before anything else, leftmost-longest.

def split_added(text, tokens):
    """Yields (segment, token or None). tokens: {content: (lstrip, rstrip)}."""
    pieces = []
    i = 0
    start = 0
    ordered = sorted(tokens, key=len, reverse=True)
    while i < len(text):
        match = next((t for t in ordered if t and text.startswith(t, i)), None)
        if match is None:
            i += 1
            continue
        pieces.append([text[start:i], None])
        pieces.append([match, match])
        i += len(match)
        start = i
    pieces.append([text[start:], None])
    for k, (segment, token) in enumerate(pieces):
        if token is None:
            continue
        lstrip, rstrip = tokens[token]
        if lstrip and k > 0:
            pieces[k - 1][0] = pieces[k - 1][0].rstrip()
        if rstrip and k + 1 < len(pieces):
            pieces[k + 1][0] = pieces[k + 1][0].lstrip()
    return [(s, t) for s, t in pieces if t is not None or s]


# ----------------------------------------------------------------------------------------------
# Truncation: the slow tokenizers remove one token at a time from the longer sequence (the second
# on a tie); the tokenizers library gives the shorter its length and splits the rest.

def truncate_slow(a, b, budget):
    if b is None:
        return a[:max(budget, 0)], None
    a, b = list(a), list(b)
    while len(a) + len(b) > budget:
        if len(a) > len(b):
            a.pop()
        else:
            b.pop()
    return a, b


def truncate_fast(a, b, budget):
    if b is None:
        return a[:max(budget, 0)], None
    if len(a) + len(b) <= budget:
        return a, b
    n1, n2 = len(a), len(b)
    swap = n1 > n2
    if swap:
        n1, n2 = n2, n1
    n2 = n1 if n1 > budget else max(n1, budget - n1)
    if n1 + n2 > budget:
        n1 = budget // 2
        n2 = n1 + budget % 2
    if swap:
        n1, n2 = n2, n1
    return a[:n1], b[:n2]


class Reference:
    """The common encode(): pieces, truncation, special tokens."""
    fast_truncation = False

    def specials_count(self, pair):
        return len(self.with_specials([], [] if pair else None)[0])

    def encode(self, text, pair=None, max_length=0):
        a = self.tokenize(text)
        b = self.tokenize(pair) if pair is not None else None
        if max_length > 0:
            budget = max_length - self.specials_count(pair is not None)
            if budget < 0:
                raise ValueError("max_length shorter than the special tokens")
            a, b = (truncate_fast if self.fast_truncation else truncate_slow)(a, b, budget)
        return self.with_specials(a, b)


# ----------------------------------------------------------------------------------------------
# (a) WordPiece from vocab.txt: the slow BertTokenizer.

def read_vocab_txt(path):
    with open(path, encoding="utf-8") as f:  # universal newlines, like HF's load_vocab
        tokens = [line.rstrip("\n") for line in f.readlines()]
    vocab = {}
    for index, token in enumerate(tokens):
        vocab[token] = index
    return vocab, len(tokens)


def wordpiece(word, vocab, unk, prefix="##", max_chars=100):
    if len(word) > max_chars:
        return [vocab[unk]]
    out = []
    start = 0
    while start < len(word):
        end = len(word)
        found = None
        while start < end:
            piece = word[start:end]
            if start > 0:
                piece = prefix + piece
            if piece in vocab:
                found = piece
                break
            end -= 1
        if found is None:
            return [vocab[unk]]
        out.append(vocab[found])
        start = end
    return out


class WordPieceReference(Reference):
    def __init__(self, folder):
        config = json.load(open(os.path.join(folder, "tokenizer_config.json"), encoding="utf-8"))
        specials = {}
        path = os.path.join(folder, "special_tokens_map.json")
        if os.path.exists(path):
            specials = json.load(open(path, encoding="utf-8"))

        def token(name, default):
            value = config.get(name, specials.get(name, default))
            return value["content"] if isinstance(value, dict) else value

        self.vocab, self.vocab_size = read_vocab_txt(os.path.join(folder, "vocab.txt"))
        self.lower = config.get("do_lower_case", True)
        self.strip_accents = config.get("strip_accents", None)
        self.chinese = config.get("tokenize_chinese_chars", True)
        self.unk, self.cls, self.sep = token("unk_token", "[UNK]"), token("cls_token", "[CLS]"), token("sep_token", "[SEP]")
        self.pad, self.mask = token("pad_token", "[PAD]"), token("mask_token", "[MASK]")
        self.never_split = set(config.get("never_split") or [])
        self.specials = [self.unk, self.sep, self.pad, self.cls, self.mask]
        self.never_split |= set(self.specials)
        self.pad_id = self.vocab[self.pad]

    def basic(self, text):
        cleaned = []
        for ch in text:
            if ord(ch) == 0 or ord(ch) == 0xFFFD or is_bert_control(ch):
                continue
            cleaned.append(" " if is_bert_whitespace(ch) else ch)
        text = "".join(cleaned)
        if self.chinese:
            text = "".join(f" {ch} " if is_cjk(ch) else ch for ch in text)
        text = unicodedata.normalize("NFC", text)
        words = []
        for token in text.strip().split():
            if token not in self.never_split:
                if self.lower:
                    token = token.lower()
                    if self.strip_accents is not False:
                        token = strip_mn(token)
                elif self.strip_accents:
                    token = strip_mn(token)
            words.extend(self.split_punctuation(token))
        return " ".join(words).strip().split()

    def split_punctuation(self, token):
        if token in self.never_split:
            return [token]
        out = []
        new_word = True
        for ch in token:
            if is_bert_punctuation(ch):
                out.append(ch)
                new_word = True
            else:
                if new_word:
                    out.append("")
                new_word = False
                out[-1] += ch
        return out

    def tokenize(self, text):
        ids = []
        for segment, special in split_added(text, {s: (False, False) for s in self.specials}):
            if special is not None:
                ids.append(self.vocab[special])
                continue
            if self.lower:
                segment = lower_each(segment)
            for word in self.basic(segment):
                if word in self.never_split:
                    ids.append(self.vocab.get(word, self.vocab[self.unk]))
                else:
                    ids.extend(wordpiece(word, self.vocab, self.unk))
        return ids

    def with_specials(self, a, b):
        cls, sep = self.vocab[self.cls], self.vocab[self.sep]
        ids = [cls] + a + [sep]
        types = [0] * len(ids)
        if b is not None:
            ids += b + [sep]
            types += [1] * (len(b) + 1)
        return ids, types


# ----------------------------------------------------------------------------------------------
# (b) XLM-R sentencepiece: the slow XLMRobertaTokenizer.

class XlmrReference(Reference):
    def __init__(self, folder):
        import sentencepiece
        self.sp = sentencepiece.SentencePieceProcessor(model_file=os.path.join(folder, "sentencepiece.bpe.model"))
        self.size = self.sp.get_piece_size()
        self.fixed = {"<s>": 0, "<pad>": 1, "</s>": 2, "<unk>": 3}
        self.mask_id = self.size + 1
        self.vocab_size = self.size + 2
        self.pad_id = 1

    def piece_id(self, piece):
        if piece in self.fixed:
            return self.fixed[piece]
        i = self.sp.piece_to_id(piece)
        return i + 1 if i else 3

    def tokenize(self, text):
        ids = []
        added = {"<s>": (False, False), "</s>": (False, False), "<unk>": (False, False),
                 "<pad>": (False, False), "<mask>": (True, False)}
        for segment, special in split_added(text, added):
            if special is not None:
                ids.append(self.mask_id if special == "<mask>" else self.fixed[special])
            else:
                ids.extend(self.piece_id(p) for p in self.sp.encode(segment, out_type=str))
        return ids

    def with_specials(self, a, b):
        ids = [0] + a + [2]
        if b is not None:
            ids += [2] + b + [2]
        return ids, [0] * len(ids)


# ----------------------------------------------------------------------------------------------
# (c) tokenizer.json, as the tokenizers library runs it.

def normalize(spec, text):
    kind = spec["type"]
    if kind == "Sequence":
        for child in spec["normalizers"]:
            text = normalize(child, text)
        return text
    if kind == "BertNormalizer":
        if spec.get("clean_text", True):
            text = "".join(" " if is_bert_whitespace(c) else c for c in text
                           if not (ord(c) == 0 or ord(c) == 0xFFFD or is_bert_control(c)))
        if spec.get("handle_chinese_chars", True):
            text = "".join(f" {c} " if is_cjk(c) else c for c in text)
        lowercase = spec.get("lowercase", True)
        strip = spec.get("strip_accents")
        if strip is None:
            strip = lowercase
        if strip:
            text = strip_mn(text)
        if lowercase:
            text = lower_each(text)
        return text
    if kind in ("NFC", "NFD", "NFKC", "NFKD"):
        return unicodedata.normalize(kind, text)
    if kind == "Lowercase":
        return lower_each(text)
    if kind == "StripAccents":  # every combining mark (M*), without decomposing first
        return "".join(c for c in text if not unicodedata.category(c).startswith("M"))
    if kind == "Replace":
        pattern = spec["pattern"]
        if "String" in pattern:
            return text.replace(pattern["String"], spec["content"])
        return re.sub(pattern["Regex"], lambda m: spec["content"], text)
    if kind == "Strip":
        if spec.get("strip_left", False):
            text = text.lstrip("".join(WHITE_SPACE))
        if spec.get("strip_right", False):
            text = text.rstrip("".join(WHITE_SPACE))
        return text
    raise ValueError(f"normalizer {kind}")


def is_word_char(ch):
    """Rust regex's \\w for the characters the corpus uses: letters, marks, Nd, Nl, Pc, joiners."""
    cat = unicodedata.category(ch)
    return cat[0] in "LM" or cat in ("Nd", "Nl", "Pc") or ch in "\u200c\u200d"


def pre_tokenize(spec, words):
    """words: list of (text, starts_at_offset_zero)."""
    kind = spec["type"]
    out = []
    if kind == "Sequence":
        for child in spec["pretokenizers"]:
            words = pre_tokenize(child, words)
        return words
    for word, first in words:
        pieces = []  # (text, index in word)
        if kind == "BertPreTokenizer":
            current, begin = "", 0
            for i, ch in enumerate(word):
                if is_white_space(ch) or is_bert_punctuation(ch):
                    if current:
                        pieces.append((current, begin))
                    current = ""
                    if not is_white_space(ch):
                        pieces.append((ch, i))
                else:
                    if not current:
                        begin = i
                    current += ch
            if current:
                pieces.append((current, begin))
        elif kind == "WhitespaceSplit":
            for m in re.finditer(r"[^" + re.escape("".join(WHITE_SPACE)) + r"]+", word):
                pieces.append((m.group(), m.start()))
        elif kind == "Whitespace":
            i = 0
            while i < len(word):
                ch = word[i]
                if is_white_space(ch):
                    i += 1
                    continue
                j = i
                if is_word_char(ch):
                    while j < len(word) and is_word_char(word[j]):
                        j += 1
                else:
                    while j < len(word) and not is_word_char(word[j]) and not is_white_space(word[j]):
                        j += 1
                pieces.append((word[i:j], i))
                i = j
        elif kind == "Metaspace":
            replacement = spec.get("replacement", "\u2581")
            scheme = spec.get("prepend_scheme")
            if scheme is None:
                scheme = "always" if spec.get("add_prefix_space", True) else "never"
            text = word.replace(" ", replacement)
            if (scheme == "always" or (scheme == "first" and first)) and text and not text.startswith(replacement):
                text = replacement + text
            if spec.get("split", True):
                current = ""
                for ch in text:
                    if ch == replacement and current:
                        pieces.append((current, 0))
                        current = ""
                    current += ch
                if current:
                    pieces.append((current, 0))
            else:
                pieces.append((text, 0))
            out.extend((p, first and k == 0) for k, (p, _) in enumerate(pieces))
            continue
        else:
            raise ValueError(f"pre-tokenizer {kind}")
        out.extend((p, first and at == 0) for p, at in pieces)
    return out


def unigram(word, model, cache):
    if "trie" not in cache:
        cache["pieces"] = {piece: (i, score) for i, (piece, score) in enumerate(model["vocab"])}
        cache["max_len"] = max(len(p) for p, _ in model["vocab"])
        cache["unk_score"] = min(s for _, s in model["vocab"]) - 10.0
        cache["trie"] = True
    pieces, unk_id = cache["pieces"], model.get("unk_id")
    n = len(word)
    best = [None] * (n + 1)  # (score, start, id)
    best[0] = (0.0, None, None)
    for start in range(n):
        base = best[start][0]
        has_single = False
        for end in range(start + 1, min(n, start + cache["max_len"]) + 1):
            hit = pieces.get(word[start:end])
            if hit is None:
                continue
            score = base + hit[1]
            if best[end] is None or score > best[end][0]:
                best[end] = (score, start, hit[0])
            if end == start + 1:
                has_single = True
        if not has_single:
            if unk_id is None:
                raise ValueError("no unk_id")
            score = base + cache["unk_score"]
            if best[start + 1] is None or score > best[start + 1][0]:
                best[start + 1] = (score, start, unk_id)
    tokens = []
    end = n
    unk_run = []
    while end > 0:
        _, start, piece_id = best[end]
        if model.get("fuse_unk", True) and unk_id is not None and piece_id == unk_id:
            unk_run.append(word[start:end])
        else:
            if unk_run:
                tokens.append("".join(reversed(unk_run)))
                unk_run = []
            tokens.append(model["vocab"][piece_id][0])
        end = start
    if unk_run:
        tokens.append("".join(reversed(unk_run)))
    tokens.reverse()
    return [pieces[t][0] if t in pieces else unk_id for t in tokens]


class TokenizerJsonReference(Reference):
    fast_truncation = True

    def __init__(self, folder):
        self.spec = json.load(open(os.path.join(folder, "tokenizer.json"), encoding="utf-8"))
        self.model = self.spec["model"]
        self.cache = {}
        if self.model["type"] == "WordPiece":
            self.vocab = self.model["vocab"]
        else:
            self.vocab = {piece: i for i, (piece, _) in enumerate(self.model["vocab"])}
        self.added = {t["content"]: t for t in self.spec.get("added_tokens", [])}
        ids = list(self.vocab.values()) + [t["id"] for t in self.added.values()]
        self.vocab_size = max(ids) + 1
        config = json.load(open(os.path.join(folder, "tokenizer_config.json"), encoding="utf-8"))
        pad = config.get("pad_token")
        self.pad_id = self.added[pad]["id"] if pad in self.added else self.vocab[pad]

    def model_ids(self, word):
        if self.model["type"] == "WordPiece":
            return wordpiece(word, self.vocab, self.model["unk_token"], self.model.get("continuing_subword_prefix", "##"),
                             self.model.get("max_input_chars_per_word", 100))
        return unigram(word, self.model, self.cache)

    def tokenize(self, text):
        ids = []
        raw = {c: (t["lstrip"], t["rstrip"]) for c, t in self.added.items() if not t.get("normalized", False)}
        normalized_tokens = {c: (t["lstrip"], t["rstrip"]) for c, t in self.added.items() if t.get("normalized", False)}
        first = True
        for segment, token in split_added(text, raw):
            if token is not None:
                ids.append(self.added[token]["id"])
                first = False
                continue
            at_zero = first and text.startswith(segment)
            first = False
            if self.spec.get("normalizer"):
                segment = normalize(self.spec["normalizer"], segment)
            for part, inner in split_added(segment, normalized_tokens):
                if inner is not None:
                    ids.append(self.added[inner]["id"])
                    at_zero = False
                    continue
                words = [(part, at_zero)]
                at_zero = False
                if self.spec.get("pre_tokenizer"):
                    words = pre_tokenize(self.spec["pre_tokenizer"], words)
                for word, _ in words:
                    if word:
                        ids.extend(self.model_ids(word))
        return ids

    def with_specials(self, a, b):
        post = self.spec.get("post_processor")
        if post is None:
            ids = a + (b or [])
            return ids, [0] * len(a) + [1] * len(b or [])
        kind = post["type"]
        if kind == "BertProcessing":
            cls, sep = post["cls"][1], post["sep"][1]
            ids, types = [cls] + a + [sep], [0] * (len(a) + 2)
            if b is not None:
                ids += b + [sep]
                types += [1] * (len(b) + 1)
            return ids, types
        if kind == "RobertaProcessing":
            cls, sep = post["cls"][1], post["sep"][1]
            ids = [cls] + a + [sep]
            if b is not None:
                ids += [sep] + b + [sep]
            return ids, [0] * len(ids)
        if kind == "TemplateProcessing":
            ids, types = [], []
            for item in post["single" if b is None else "pair"]:
                if "SpecialToken" in item:
                    special = post["special_tokens"][item["SpecialToken"]["id"]]
                    ids += special["ids"]
                    types += [item["SpecialToken"]["type_id"]] * len(special["ids"])
                else:
                    seq = a if item["Sequence"]["id"] == "A" else b
                    ids += seq
                    types += [item["Sequence"]["type_id"]] * len(seq)
            return ids, types
        raise ValueError(f"post-processor {kind}")


def load_reference(folder):
    """The reference tokenizer for a folder, chosen like the C++ side: by tokenizer_class, then files."""
    config = json.load(open(os.path.join(folder, "tokenizer_config.json"), encoding="utf-8"))
    cls = config.get("tokenizer_class", "")
    base = cls[:-4] if cls.endswith("Fast") else cls
    has = lambda name: os.path.exists(os.path.join(folder, name))  # noqa: E731
    if base in ("BertTokenizer", "ElectraTokenizer") and has("vocab.txt"):
        return WordPieceReference(folder)
    if base == "XLMRobertaTokenizer" and has("sentencepiece.bpe.model"):
        return XlmrReference(folder)
    if has("tokenizer.json"):
        return TokenizerJsonReference(folder)
    raise ValueError(f"{folder}: no tokenizer for {cls}")


# ----------------------------------------------------------------------------------------------
# Fixture writers.

def sample_lines(repo_root, n):
    """The first n sentences of resources/sample/train.tsv (column 2)."""
    out = []
    with open(os.path.join(repo_root, "resources", "sample", "train.tsv"), encoding="utf-8") as f:
        for line in f:
            fields = line.rstrip("\n").split("\t")
            if len(fields) > 1:
                out.append(fields[1])
            if len(out) >= n:
                break
    return out


# Pieces a Korean sample corpus lacks but the edge cases need: Latin, accents, digits, Hanja.
EXTRA_WORDS = (["Café", "café", "cafe", "ÅNGSTRÖM", "angstrom", "Seoul", "BERT", "the", "hello", "##ello", "##ing",
                "2024", "漢", "字", "大", "韓", "民", "國", "##字", "ö", "é"]
               + list("abcdefghijklmnopqrstuvwxyz0123456789") + ["##" + c for c in "abcdefghijklmnopqrstuvwxyz0"])
WORDPIECE_SPECIALS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]


def _basic_words(lines, lower_case):
    class Basic(WordPieceReference):
        def __init__(self):  # only the basic tokenizer's settings
            self.lower, self.strip_accents, self.chinese, self.never_split = lower_case, None, True, set()
    basic = Basic()
    words = []
    for line in lines:
        words.extend(basic.basic(lower_each(line) if lower_case else line))
    return words


def _wordpiece_vocab(lines, lower_case, vocab_size):
    words = _basic_words(lines, lower_case)
    chars = collections.Counter(ch for w in words for ch in w)
    word_counts = collections.Counter(words)
    suffixes = collections.Counter("##" + w[k:] for w in words for k in (len(w) - 1, len(w) - 2) if 0 < k < len(w))
    prefixes = collections.Counter(w[:k] for w in words for k in (2, 3) if k < len(w))
    vocab = list(WORDPIECE_SPECIALS)
    seen = set(vocab)

    def add(piece):
        if piece not in seen and len(vocab) < vocab_size:
            seen.add(piece)
            vocab.append(piece)

    extras = [_basic_words([w], lower_case)[0] if lower_case and not w.startswith("##") else w for w in EXTRA_WORDS]
    for p in ".,!?()-'\"":
        add(p)
    for w in extras:
        add(w)
    by_count = lambda c: sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))  # noqa: E731
    for ch, _ in by_count(chars):
        add(ch)
    ranked = [(n, p) for p, n in word_counts.items() if len(p) > 1] + [(n, p) for p, n in suffixes.items()] + \
             [(n, p) for p, n in prefixes.items()] + [(n // 2, "##" + c) for c, n in chars.items()]
    for _, piece in sorted(ranked, key=lambda kv: (-kv[0], kv[1])):
        add(piece)
    return vocab


def _write_json(path, value):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(value, f, ensure_ascii=False, indent=2, sort_keys=True)
        f.write("\n")


def write_wordpiece(folder, lines, lower_case=False, vocab_size=400):
    """vocab.txt + tokenizer_config.json (BertTokenizer) + special_tokens_map.json."""
    os.makedirs(folder, exist_ok=True)
    vocab = _wordpiece_vocab(lines, lower_case, vocab_size)
    with open(os.path.join(folder, "vocab.txt"), "w", encoding="utf-8", newline="\n") as f:
        f.write("".join(p + "\n" for p in vocab))
    _write_json(os.path.join(folder, "tokenizer_config.json"), {
        "tokenizer_class": "BertTokenizer", "do_lower_case": lower_case, "strip_accents": None,
        "tokenize_chinese_chars": True, "model_max_length": 512, "unk_token": "[UNK]", "sep_token": "[SEP]",
        "pad_token": "[PAD]", "cls_token": "[CLS]", "mask_token": "[MASK]"})
    _write_json(os.path.join(folder, "special_tokens_map.json"), {
        "unk_token": "[UNK]", "sep_token": "[SEP]", "pad_token": "[PAD]", "cls_token": "[CLS]",
        "mask_token": "[MASK]"})


def _train_unigram(lines, vocab_size):
    import io
    import sentencepiece
    model = io.BytesIO()
    sentencepiece.SentencePieceTrainer.train(
        sentence_iterator=iter(lines + EXTRA_WORDS), model_writer=model, vocab_size=vocab_size,
        model_type="unigram", character_coverage=1.0, hard_vocab_limit=False, num_threads=1,
        unk_id=0, bos_id=1, eos_id=2, pad_id=-1, minloglevel=2, shuffle_input_sentence=False)
    return model.getvalue()


def write_xlmr_spm(folder, lines, vocab_size=400):
    """sentencepiece.bpe.model (unigram, trained here) + tokenizer_config.json (XLMRobertaTokenizer)."""
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "sentencepiece.bpe.model"), "wb") as f:
        f.write(_train_unigram(lines, vocab_size))
    _write_json(os.path.join(folder, "tokenizer_config.json"), {
        "tokenizer_class": "XLMRobertaTokenizer", "model_max_length": 512, "bos_token": "<s>", "eos_token": "</s>",
        "sep_token": "</s>", "cls_token": "<s>", "unk_token": "<unk>", "pad_token": "<pad>",
        "mask_token": {"content": "<mask>", "lstrip": True, "rstrip": False, "normalized": False,
                       "single_word": False, "__type": "AddedToken"}})
    _write_json(os.path.join(folder, "special_tokens_map.json"), {
        "bos_token": "<s>", "eos_token": "</s>", "sep_token": "</s>", "cls_token": "<s>", "unk_token": "<unk>",
        "pad_token": "<pad>", "mask_token": "<mask>"})


def _added(content, token_id, lstrip=False):
    return {"id": token_id, "content": content, "single_word": False, "lstrip": lstrip, "rstrip": False,
            "normalized": False, "special": True}


def write_tokenizer_json(folder, lines, model):
    """tokenizer.json (model "WordPiece" or "Unigram") + tokenizer_config.json naming a Fast class."""
    os.makedirs(folder, exist_ok=True)
    if model == "WordPiece":
        vocab = _wordpiece_vocab(lines, True, 400)
        ids = {p: i for i, p in enumerate(vocab)}
        spec = {
            "version": "1.0", "truncation": None, "padding": None,
            "added_tokens": [_added(p, ids[p]) for p in WORDPIECE_SPECIALS],
            "normalizer": {"type": "BertNormalizer", "clean_text": True, "handle_chinese_chars": True,
                           "strip_accents": None, "lowercase": True},
            "pre_tokenizer": {"type": "BertPreTokenizer"},
            "post_processor": {
                "type": "TemplateProcessing",
                "single": [{"SpecialToken": {"id": "[CLS]", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                           {"SpecialToken": {"id": "[SEP]", "type_id": 0}}],
                "pair": [{"SpecialToken": {"id": "[CLS]", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                         {"SpecialToken": {"id": "[SEP]", "type_id": 0}}, {"Sequence": {"id": "B", "type_id": 1}},
                         {"SpecialToken": {"id": "[SEP]", "type_id": 1}}],
                "special_tokens": {t: {"id": t, "ids": [ids[t]], "tokens": [t]} for t in ("[CLS]", "[SEP]")}},
            "decoder": {"type": "WordPiece", "prefix": "##", "cleanup": True},
            "model": {"type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##",
                      "max_input_chars_per_word": 100, "vocab": ids}}
        config = {"tokenizer_class": "BertTokenizerFast", "do_lower_case": True, "model_max_length": 512,
                  "pad_token": "[PAD]", "unk_token": "[UNK]", "cls_token": "[CLS]", "sep_token": "[SEP]",
                  "mask_token": "[MASK]"}
    elif model == "Unigram":
        import sentencepiece
        sp = sentencepiece.SentencePieceProcessor(model_proto=_train_unigram(lines, 400))
        # fairseq's order, as XLM-R's tokenizer.json has it: <s> <pad> </s> <unk>, the pieces, <mask>.
        vocab = [["<s>", 0.0], ["<pad>", 0.0], ["</s>", 0.0], ["<unk>", 0.0]]
        vocab += [[sp.id_to_piece(i), sp.get_score(i)] for i in range(3, sp.get_piece_size())]
        vocab.append(["<mask>", 0.0])
        spec = {
            "version": "1.0", "truncation": None, "padding": None,
            "added_tokens": [_added("<s>", 0), _added("<pad>", 1), _added("</s>", 2), _added("<unk>", 3),
                             _added("<mask>", len(vocab) - 1, lstrip=True)],
            "normalizer": {"type": "Sequence", "normalizers": [
                {"type": "NFKC"},
                {"type": "Replace", "pattern": {"String": "``"}, "content": "\""},
                {"type": "Replace", "pattern": {"Regex": " {2,}"}, "content": " "},
                {"type": "Strip", "strip_left": False, "strip_right": True}]},
            "pre_tokenizer": {"type": "Sequence", "pretokenizers": [
                {"type": "WhitespaceSplit"},
                {"type": "Metaspace", "replacement": "\u2581", "prepend_scheme": "always", "split": True}]},
            "post_processor": {"type": "RobertaProcessing", "sep": ["</s>", 2], "cls": ["<s>", 0],
                               "trim_offsets": True, "add_prefix_space": True},
            "decoder": {"type": "Metaspace", "replacement": "\u2581", "prepend_scheme": "always", "split": True},
            "model": {"type": "Unigram", "unk_id": 3, "vocab": vocab, "byte_fallback": False}}
        config = {"tokenizer_class": "XLMRobertaTokenizerFast", "model_max_length": 512, "pad_token": "<pad>",
                  "unk_token": "<unk>", "cls_token": "<s>", "sep_token": "</s>", "mask_token": "<mask>"}
    else:
        raise ValueError(model)
    _write_json(os.path.join(folder, "tokenizer.json"), spec)
    _write_json(os.path.join(folder, "tokenizer_config.json"), config)


# ----------------------------------------------------------------------------------------------
# The corpus and the fixtures.

LONG_TEXT = " ".join(["한빛전자의 연구원 김민수는 서울에서 새 제품을 발표했다."] * 12)
EDGE_CASES = [
    "Café au lait, ÅNGSTRÖM and café.",
    "Cafe\u0301 decomposed; Ångström precomposed",
    "control\x01chars\x7f and\x00NUL and \ufffdreplacement",
    "tab\tinside\nnewline\r\nand  double  spaces",
    "大韓民國 한국어漢字混用 대한민국",
    "ｆｕｌｌｗｉｄｔｈ ＡＢＣ１２３！",
    "?!... --- ((quoted)) \"marks\" '''",
    "x" * 120 + " short",
    "",
    "emoji 😀 and 👍🏽 here",
    "e\u0301\u0302 combining o\u0308 marks \u0301alone",
    "ΟΔΟΣ Σίσυφος İstanbul ß",
    "[CLS] inside [SEP] text [MASK]",
    "<s> spm specials </s> <mask> <unk>",
    "\u2028line\u2029para\u00a0nbsp\u3000ideographic",
    "   leading and trailing   ",
    "Hello, WORLD! naïve résumé costs 2024 won",
    LONG_TEXT,
]


def corpus_rows(repo_root):
    """(text, pair or None, max_length) rows: 32 sample sentences, some pairs, the edge cases."""
    lines = sample_lines(repo_root, 40)
    rows = [(line, None, 0) for line in lines[:32]]
    for line in lines[32:38]:
        rows.append((line.split(" ")[0], line, 0))  # subject-style pair
    rows += [(text, None, 0) for text in EDGE_CASES]
    rows.append((LONG_TEXT, None, 32))
    rows.append((LONG_TEXT, lines[0], 24))
    rows.append((lines[1], LONG_TEXT, 24))
    rows.append((LONG_TEXT, LONG_TEXT, 31))
    rows.append(("Café ÅNGSTRÖM", "大韓民國 😀", 0))
    return rows


def escape(text):
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r") \
        .replace("\x00", "\\0")


def write_reference_tsv(folder, rows):
    reference = load_reference(folder)
    with open(os.path.join(folder, "reference.tsv"), "w", encoding="utf-8", newline="\n") as f:
        f.write("# text\tpair (\\N: none)\tmax_length\tids\ttype_ids   (\\t \\n \\r \\0 \\\\ escaped)\n")
        for text, pair, max_length in rows:
            ids, types = reference.encode(text, pair, max_length)
            f.write("\t".join([escape(text), "\\N" if pair is None else escape(pair), str(max_length),
                               " ".join(map(str, ids)), " ".join(map(str, types))]) + "\n")
    return reference


def main():
    root = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
    out = os.path.join(root, "tests", "fixtures", "pretrained", "tokenizers")
    lines = sample_lines(root, 400)
    rows = corpus_rows(root)
    builders = {
        "wordpiece-cased": lambda f: write_wordpiece(f, lines, lower_case=False),
        "wordpiece-uncased": lambda f: write_wordpiece(f, lines, lower_case=True),
        "xlmr-spm": lambda f: write_xlmr_spm(f, lines),
        "tokenizer-json-wordpiece": lambda f: write_tokenizer_json(f, lines, "WordPiece"),
        "tokenizer-json-unigram": lambda f: write_tokenizer_json(f, lines, "Unigram"),
    }
    for name, build in builders.items():
        folder = os.path.join(out, name)
        os.makedirs(folder, exist_ok=True)
        for old in os.listdir(folder):
            os.remove(os.path.join(folder, old))
        build(folder)
        reference = write_reference_tsv(folder, rows)
        print(f"{name}: vocab {reference.vocab_size}, pad {reference.pad_id}, {len(rows)} rows")


if __name__ == "__main__":
    sys.exit(main())
