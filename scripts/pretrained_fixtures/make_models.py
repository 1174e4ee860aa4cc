#!/usr/bin/python3
"""Tiny random Hugging Face model folders and the hidden states a reference forward gives them.

Run with Debian's python3 (python3-torch, python3-sentencepiece); CI never runs it, the folders it
writes are committed under tests/fixtures/pretrained/models/. Each folder is what save_pretrained
leaves: config.json, weights (model.safetensors or shards with their index), tokenizer files. Beside
them, reference.safetensors holds the padded token ids, the attention mask, the token type ids and
every layer's hidden states (the embedding output first), and reference_texts.tsv the texts they
came from (text, then the pair's second text or nothing).

The hidden states come from reference_encoder.py, a forward pass written in plain PyTorch from the
published architectures.
"""
import json
import os
import struct
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import reference_tokenizers as tokenizers  # noqa: E402
from reference_encoder import reference_forward  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUT = os.path.join(ROOT, "tests", "fixtures", "pretrained", "models")

HIDDEN = 32
LAYERS = 2
HEADS = 4
INTERMEDIATE = 64
MAX_LENGTH = 40      # tokens per text with specials; longer sample sentences are truncated
TEXTS = 32

# One folder per model type, each also exercising a storage variant an import must accept.
MODELS = [
    # mBERT-like: prefixed names, pre-training heads to ignore, pooler, F32.
    dict(name="bert-wordpiece", model_type="bert", tokenizer="wordpiece", prefix="bert.",
         heads=["cls.predictions.bias", "cls.predictions.transform.dense.weight"], pooler=True,
         act="gelu", dtype="F32", type_vocab=2, pairs=True, seed=11),
    # klue/roberta-like: a RoBERTa encoder with a WordPiece BertTokenizer, bare names, legacy
    # LayerNorm gamma/beta, a position_ids buffer, two shards.
    dict(name="klue-roberta-wordpiece", model_type="roberta", tokenizer="wordpiece", prefix="",
         heads=["embeddings.position_ids"], pooler=True, act="gelu", dtype="F32", type_vocab=1,
         legacy_layer_norm=True, shards=2, pairs=True, seed=12),
    # xlm-roberta-like: sentencepiece with the fairseq offset, an lm_head, no pooler, F16 weights.
    dict(name="xlm-roberta-spm", model_type="xlm-roberta", tokenizer="xlmr", prefix="roberta.",
         heads=["lm_head.bias", "lm_head.dense.weight"], pooler=False, act="gelu", dtype="F16",
         type_vocab=1, pairs=True, seed=13),
    # koelectra-discriminator-like: embedding_size 16 projected to 32, uncased WordPiece,
    # gelu_new, BF16 weights, a discriminator head.
    dict(name="electra-wordpiece", model_type="electra", tokenizer="wordpiece-uncased",
         prefix="electra.", heads=["discriminator_predictions.dense.weight"], pooler=False,
         act="gelu_new", dtype="BF16", type_vocab=2, embedding_size=16, pairs=False, seed=14),
]

DTYPES = {"F32": (torch.float32, "<f4"), "F16": (torch.float16, "<f2"),
          "BF16": (torch.bfloat16, None), "I64": (torch.int64, "<i8")}


def tensor_bytes(tensor, dtype):
    tensor = tensor.contiguous()
    if dtype == "BF16":
        # bfloat16 is the upper half of float32; rounding is done by torch's cast.
        bits = tensor.to(torch.bfloat16).to(torch.float32).numpy().view("<u4") >> 16
        return bits.astype("<u2").tobytes()
    torch_type, numpy_type = DTYPES[dtype]
    return tensor.to(torch_type).numpy().astype(numpy_type).tobytes()


def write_safetensors(path, tensors, dtypes=None, metadata=None):
    """tensors: name -> torch tensor, written in the order given, 8-byte aligned header."""
    header, blobs, offset = {}, [], 0
    for name, tensor in tensors.items():
        dtype = (dtypes or {}).get(name) or ("I64" if tensor.dtype == torch.int64 else "F32")
        blob = tensor_bytes(tensor, dtype)
        header[name] = {"dtype": dtype, "shape": list(tensor.shape), "data_offsets": [offset, offset + len(blob)]}
        blobs.append(blob)
        offset += len(blob)
    if metadata:
        header["__metadata__"] = metadata
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as out:
        out.write(struct.pack("<Q", len(text)))
        out.write(text)
        for blob in blobs:
            out.write(blob)


def rounded(tensor, dtype):
    """The float32 values a reader gets back from weights stored as dtype."""
    if dtype == "F32":
        return tensor
    return tensor.to(DTYPES[dtype][0]).to(torch.float32)


def random_weights(spec, config, generator):
    def normal(*shape, std=0.02):
        return torch.randn(*shape, generator=generator) * std

    def layer_norm(prefix, width):
        # Away from (1, 0), so a weight or bias that is dropped or swapped shows.
        return {prefix + ".weight": 1.0 + normal(width, std=0.1), prefix + ".bias": normal(width, std=0.1)}

    hidden, embed = config["hidden_size"], config.get("embedding_size", config["hidden_size"])
    weights = {
        "embeddings.word_embeddings.weight": normal(config["vocab_size"], embed, std=0.5),
        "embeddings.position_embeddings.weight": normal(config["max_position_embeddings"], embed, std=0.5),
        "embeddings.token_type_embeddings.weight": normal(config["type_vocab_size"], embed, std=0.5),
    }
    weights.update(layer_norm("embeddings.LayerNorm", embed))
    if embed != hidden:
        weights["embeddings_project.weight"] = normal(hidden, embed, std=0.2)
        weights["embeddings_project.bias"] = normal(hidden, std=0.1)
    for i in range(config["num_hidden_layers"]):
        p = f"encoder.layer.{i}."
        for part in ("query", "key", "value"):
            weights[p + f"attention.self.{part}.weight"] = normal(hidden, hidden, std=0.2)
            weights[p + f"attention.self.{part}.bias"] = normal(hidden, std=0.1)
        weights[p + "attention.output.dense.weight"] = normal(hidden, hidden, std=0.2)
        weights[p + "attention.output.dense.bias"] = normal(hidden, std=0.1)
        weights.update(layer_norm(p + "attention.output.LayerNorm", hidden))
        weights[p + "intermediate.dense.weight"] = normal(config["intermediate_size"], hidden, std=0.2)
        weights[p + "intermediate.dense.bias"] = normal(config["intermediate_size"], std=0.1)
        weights[p + "output.dense.weight"] = normal(hidden, config["intermediate_size"], std=0.2)
        weights[p + "output.dense.bias"] = normal(hidden, std=0.1)
        weights.update(layer_norm(p + "output.LayerNorm", hidden))
    if spec["pooler"]:
        weights["pooler.dense.weight"] = normal(hidden, hidden, std=0.2)
        weights["pooler.dense.bias"] = normal(hidden, std=0.1)
    return weights


def stored_name(spec, name):
    if spec.get("legacy_layer_norm") and "LayerNorm." in name:
        name = name.replace("LayerNorm.weight", "LayerNorm.gamma").replace("LayerNorm.bias", "LayerNorm.beta")
    return spec["prefix"] + name


def write_weights(folder, spec, weights, generator):
    stored = {stored_name(spec, name): tensor for name, tensor in weights.items()}
    dtypes = {name: spec["dtype"] for name in stored}
    for head in spec["heads"]:
        if head == "embeddings.position_ids":
            stored[spec["prefix"] + head] = torch.arange(weights["embeddings.position_embeddings.weight"].shape[0]).unsqueeze(0)
            dtypes[spec["prefix"] + head] = "I64"
        else:
            stored[head] = torch.randn(7, generator=generator)
            dtypes[head] = spec["dtype"]
    names = sorted(stored)
    shards = spec.get("shards", 1)
    if shards == 1:
        write_safetensors(os.path.join(folder, "model.safetensors"), {n: stored[n] for n in names}, dtypes,
                          {"format": "pt"})
        return
    weight_map = {}
    for s in range(shards):
        file = f"model-{s + 1:05d}-of-{shards:05d}.safetensors"
        part = names[s::shards]
        write_safetensors(os.path.join(folder, file), {n: stored[n] for n in part}, dtypes, {"format": "pt"})
        weight_map.update({n: file for n in part})
    with open(os.path.join(folder, "model.safetensors.index.json"), "w") as out:
        json.dump({"metadata": {"total_size": 0}, "weight_map": weight_map}, out, indent=2, sort_keys=True)


def write_tokenizer(folder, spec, lines):
    if spec["tokenizer"] == "wordpiece":
        tokenizers.write_wordpiece(folder, lines, lower_case=False)
    elif spec["tokenizer"] == "wordpiece-uncased":
        tokenizers.write_wordpiece(folder, lines, lower_case=True)
    elif spec["tokenizer"] == "xlmr":
        tokenizers.write_xlmr_spm(folder, lines)
    else:
        raise ValueError(spec["tokenizer"])


def write_embed_reference(folder, config, weights, reference, texts):
    """What `foldbench-cli model embed` must print for texts (one a line): embed_ids.tsv with --ids,
    embed_expected.tsv without (the first token's final hidden state, 9 significant digits). Texts
    are truncated to what the model takes, as model embed does."""
    roberta = config["model_type"] in ("roberta", "xlm-roberta")
    limit = config["max_position_embeddings"] - (config["pad_token_id"] + 1 if roberta else 0)
    with open(os.path.join(folder, "embed_input.txt"), "w", encoding="utf-8") as out:
        out.write("".join(text + "\n" for text in texts))
    with open(os.path.join(folder, "embed_ids.tsv"), "w") as ids_out, \
            open(os.path.join(folder, "embed_expected.tsv"), "w") as states_out:
        for text in texts:
            ids, types = reference.encode(text, max_length=limit)
            ids_out.write("\t".join(str(i) for i in ids) + "\n")
            row = torch.tensor([ids])
            types = torch.tensor([types]) if config["type_vocab_size"] > 1 else torch.zeros_like(row)
            with torch.no_grad():
                states, _ = reference_forward(config, weights, row, types, torch.ones_like(row))
            states_out.write("\t".join(f"{v:.9g}" for v in states[-1][0, 0].tolist()) + "\n")


def make_model(spec, lines):
    folder = os.path.join(OUT, spec["name"])
    os.makedirs(folder, exist_ok=True)
    for stale in os.listdir(folder):
        os.remove(os.path.join(folder, stale))
    write_tokenizer(folder, spec, lines)
    reference = tokenizers.load_reference(folder)
    roberta = spec["model_type"] in ("roberta", "xlm-roberta")
    config = {
        "architectures": [{"bert": "BertForMaskedLM", "roberta": "RobertaForMaskedLM",
                           "xlm-roberta": "XLMRobertaForMaskedLM", "electra": "ElectraForPreTraining"}[spec["model_type"]]],
        "model_type": spec["model_type"],
        "vocab_size": reference.vocab_size,
        "hidden_size": HIDDEN,
        "num_hidden_layers": LAYERS,
        "num_attention_heads": HEADS,
        "intermediate_size": INTERMEDIATE,
        "hidden_act": spec["act"],
        "hidden_dropout_prob": 0.1,
        "attention_probs_dropout_prob": 0.1,
        "max_position_embeddings": MAX_LENGTH + (reference.pad_id + 1 if roberta else 0) + 8,
        "type_vocab_size": spec["type_vocab"],
        "initializer_range": 0.02,
        "layer_norm_eps": 1e-5 if roberta else 1e-12,
        "pad_token_id": reference.pad_id,
        "position_embedding_type": "absolute",
        "torch_dtype": {"F32": "float32", "F16": "float16", "BF16": "bfloat16"}[spec["dtype"]],
    }
    if "embedding_size" in spec:
        config["embedding_size"] = spec["embedding_size"]
    with open(os.path.join(folder, "config.json"), "w") as out:
        json.dump(config, out, indent=2)
        out.write("\n")

    generator = torch.Generator().manual_seed(spec["seed"])
    weights = random_weights(spec, config, generator)
    write_weights(folder, spec, weights, generator)
    loaded = {name: rounded(tensor, spec["dtype"]) for name, tensor in weights.items()}

    rows = []
    for i, line in enumerate(lines[:TEXTS]):
        # Every third text a pair when the model has two token types or is RoBERTa-like (which
        # marks pairs with </s></s>): the entity-first input the write-up used.
        pair = spec["pairs"] and i % 3 == 2
        rows.append((line.split(" ")[0], line) if pair else (line, None))
    encoded = [reference.encode(a, pair=b, max_length=MAX_LENGTH) for a, b in rows]
    length = max(len(ids) for ids, _ in encoded)
    ids = torch.full((len(rows), length), reference.pad_id, dtype=torch.int64)
    types = torch.zeros((len(rows), length), dtype=torch.int64)
    mask = torch.zeros((len(rows), length), dtype=torch.int64)
    for r, (row_ids, row_types) in enumerate(encoded):
        ids[r, :len(row_ids)] = torch.tensor(row_ids)
        types[r, :len(row_types)] = torch.tensor(row_types)
        mask[r, :len(row_ids)] = 1
    if config["type_vocab_size"] == 1:
        # klue/roberta's BertTokenizer gives a pair's second text type 1, which a model with one
        # token type cannot embed; such models are run with every type 0.
        types.zero_()
    with torch.no_grad():
        states, pooled = reference_forward(config, loaded, ids, types, mask)
    tensors = {"input_ids": ids, "token_type_ids": types, "attention_mask": mask}
    for layer, state in enumerate(states):
        tensors[f"hidden_states.{layer}"] = state
    if pooled is not None:
        tensors["pooler_output"] = pooled
    write_safetensors(os.path.join(folder, "reference.safetensors"), tensors,
                      metadata={"max_length": str(MAX_LENGTH), "torch": torch.__version__})
    with open(os.path.join(folder, "reference_texts.tsv"), "w", encoding="utf-8") as out:
        for a, b in rows:
            out.write(a + "\t" + (b or "") + "\n")
    # One text longer than the model takes, which model embed truncates.
    long_text = " ".join(lines[100:112])
    write_embed_reference(folder, config, loaded, reference, [a for a, b in rows if b is None] + [long_text])
    print(f"{spec['name']}: vocab {reference.vocab_size}, {len(rows)} texts of up to {length} tokens")


def main():
    torch.manual_seed(0)
    lines = tokenizers.sample_lines(ROOT, 400)
    for spec in MODELS:
        make_model(spec, lines)


if __name__ == "__main__":
    main()
