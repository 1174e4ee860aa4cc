#!/usr/bin/python3
"""The Python side of foldbench-bench-pretrained: loads a model folder's model.safetensors into plain
PyTorch tensors and runs reference_encoder's forward pass over token ids in the same batches the C++
runner forms (stable-sorted by length, padded per batch), timing both.

Usage: bench_reference.py FOLDER IDS_FILE BATCH_SIZE THREADS
IDS_FILE holds one text's ids (specials included) per line, tab-separated. Prints one JSON line."""
import json
import mmap
import os
import struct
import sys
import time

import numpy
import torch

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
    print(json.dumps({"torch": torch.__version__, "load_s": load_seconds, "embed_s": embed_seconds,
                      "texts": len(texts), "threads": torch.get_num_threads()}))


if __name__ == "__main__":
    main()
