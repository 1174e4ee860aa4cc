#!/usr/bin/python3
"""The Python side of foldbench-bench-pretrained: loads a model folder's model.safetensors into plain
PyTorch tensors and runs reference_encoder's forward pass over token ids in the same batches the C++
runner forms (stable-sorted by length, padded per batch), timing both.

Usage: bench_reference.py FOLDER IDS_FILE BATCH_SIZE THREADS [BATCHES_FILE LABELS]
IDS_FILE holds one text's ids (specials included) per line, tab-separated. With BATCHES_FILE (one
training batch a line: the text indices, tab-separated), it also fine-tunes: the encoder (dropout 0.1, as Hugging Face
trains) plus a Linear head over the first two tokens' states, cross-entropy, AdamW, one step per batch, the first
batch as warm-up (not timed). Prints one JSON line."""
import json
import mmap
import os
import struct
import sys
import time

import numpy
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from reference_encoder import reference_forward  # noqa: E402


def load_safetensors(path, prefix):
    with open(path, "rb") as f:
        mapped = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
    (length,) = struct.unpack("<Q", mapped[:8])
    header = json.loads(mapped[8:8 + length])
    start = 8 + length
    weights = {}
    for name, entry in header.items():
        if name == "__metadata__" or entry["dtype"] != "F32":
            continue
        begin, end = entry["data_offsets"]
        array = numpy.frombuffer(mapped, dtype="<f4", count=(end - begin) // 4, offset=start + begin)
        canonical = name[len(prefix):] if name.startswith(prefix) else name
        weights[canonical] = torch.from_numpy(array.reshape(entry["shape"]).copy())
    return weights


def main():
    folder, ids_file, batch_size, threads = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    torch.set_num_threads(threads)
    with open(os.path.join(folder, "config.json")) as f:
        config = json.load(f)
    started = time.perf_counter()
    weights = load_safetensors(os.path.join(folder, "model.safetensors"), "bert.")
    load_seconds = time.perf_counter() - started
    texts = [[int(x) for x in line.split("\t")] for line in open(ids_file) if line.strip()]
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    pad = config.get("pad_token_id", 0)
    started = time.perf_counter()
    with torch.no_grad():
        for begin in range(0, len(order), batch_size):
            batch = [texts[i] for i in order[begin:begin + batch_size]]
            length = max(len(t) for t in batch)
            ids = torch.full((len(batch), length), pad, dtype=torch.int64)
            mask = torch.zeros((len(batch), length), dtype=torch.int64)
            for row, text in enumerate(batch):
                ids[row, :len(text)] = torch.tensor(text)
                mask[row, :len(text)] = 1
            states, _ = reference_forward(config, weights, ids, torch.zeros_like(ids), mask)
            states[-1][:, 0].contiguous()
    embed_seconds = time.perf_counter() - started
    result = {"torch": torch.__version__, "load_s": load_seconds, "embed_s": embed_seconds,
              "texts": len(texts), "threads": torch.get_num_threads()}
    if len(sys.argv) > 6:
        result.update(fine_tune(config, weights, texts, sys.argv[5], int(sys.argv[6]), pad))
    print(json.dumps(result))


def fine_tune(config, weights, texts, batches_file, labels, pad):
    batches = [[int(x) for x in line.split("\t")] for line in open(batches_file) if line.strip()]
    for tensor in weights.values():
        tensor.requires_grad_(True)
    hidden = config["hidden_size"]
    head = torch.nn.Linear(2 * hidden, labels)
    optimizer = torch.optim.AdamW(list(weights.values()) + list(head.parameters()), lr=2e-5, weight_decay=0.01)
    generator = torch.Generator().manual_seed(1)
    seconds, examples = 0.0, 0
    for number, rows in enumerate(batches):
        started = time.perf_counter()
        batch = [texts[i] for i in rows]
        length = max(len(t) for t in batch)
        ids = torch.full((len(batch), length), pad, dtype=torch.int64)
        mask = torch.zeros((len(batch), length), dtype=torch.int64)
        for row, text in enumerate(batch):
            ids[row, :len(text)] = torch.tensor(text)
            mask[row, :len(text)] = 1
        states, _ = reference_forward(config, weights, ids, torch.zeros_like(ids), mask, dropout=0.1)
        logits = head(F.dropout(torch.cat([states[-1][:, 1], states[-1][:, 2]], dim=1), 0.1))
        target = torch.randint(0, labels, (len(batch),), generator=generator)
        loss = torch.nn.functional.cross_entropy(logits, target)
        optimizer.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(list(weights.values()) + list(head.parameters()), 1.0)
        optimizer.step()
        if number > 0:
            seconds += time.perf_counter() - started
            examples += len(batch)
    return {"train_s": seconds, "train_examples": examples}


if __name__ == "__main__":
    main()
