"""A BERT-family forward pass in plain PyTorch functions, written from the published architectures,
not from Foldbench's C++: post-LayerNorm layers, exact-erf GELU ("gelu") or its tanh form
("gelu_new"), LayerNorm eps from the config, RoBERTa's position ids counted from padding_idx + 1
over non-pad tokens, ELECTRA's embedding projection. Used by make_models.py (fixtures) and
bench_reference.py (the Python side of foldbench-bench-pretrained)."""
import math

import torch


def gelu_tanh(x):
    return 0.5 * x * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * torch.pow(x, 3.0))))


def reference_forward(config, w, ids, types, mask, dropout=0.0):
    """Every layer's hidden states (embedding output first) and the pooler output or None. dropout > 0
    trains as Hugging Face's modules do: on the embeddings, the attention probabilities, and each
    sub-layer's output before its residual LayerNorm."""
    F = torch.nn.functional
    eps = config["layer_norm_eps"]
    batch, length = ids.shape
    if config["model_type"] in ("roberta", "xlm-roberta"):
        pad = config["pad_token_id"]
        not_pad = ids.ne(pad).long()
        positions = torch.cumsum(not_pad, dim=1) * not_pad + pad
    else:
        positions = torch.arange(length).unsqueeze(0).expand(batch, length)
    x = (w["embeddings.word_embeddings.weight"][ids] + w["embeddings.position_embeddings.weight"][positions]
         + w["embeddings.token_type_embeddings.weight"][types])
    x = F.layer_norm(x, (x.shape[-1],), w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"], eps)
    x = F.dropout(x, dropout, training=dropout > 0)
    if "embeddings_project.weight" in w:
        x = F.linear(x, w["embeddings_project.weight"], w["embeddings_project.bias"])
    states = [x]
    heads = config["num_attention_heads"]
    head_size = config["hidden_size"] // heads
    additive = (1.0 - mask[:, None, None, :].float()) * torch.finfo(torch.float32).min
    act = F.gelu if config["hidden_act"] == "gelu" else gelu_tanh

    def split(t):
        return t.view(batch, length, heads, head_size).transpose(1, 2)

    for i in range(config["num_hidden_layers"]):
        p = f"encoder.layer.{i}."
        q = split(F.linear(x, w[p + "attention.self.query.weight"], w[p + "attention.self.query.bias"]))
        k = split(F.linear(x, w[p + "attention.self.key.weight"], w[p + "attention.self.key.bias"]))
        v = split(F.linear(x, w[p + "attention.self.value.weight"], w[p + "attention.self.value.bias"]))
        scores = torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(head_size) + additive
        context = torch.matmul(F.dropout(torch.softmax(scores, dim=-1), dropout, training=dropout > 0), v).transpose(1, 2).reshape(batch, length, -1)
        attended = F.dropout(F.linear(context, w[p + "attention.output.dense.weight"], w[p + "attention.output.dense.bias"]),
                             dropout, training=dropout > 0)
        x = F.layer_norm(attended + x, (x.shape[-1],), w[p + "attention.output.LayerNorm.weight"],
                         w[p + "attention.output.LayerNorm.bias"], eps)
        inner = act(F.linear(x, w[p + "intermediate.dense.weight"], w[p + "intermediate.dense.bias"]))
        out = F.dropout(F.linear(inner, w[p + "output.dense.weight"], w[p + "output.dense.bias"]), dropout,
                        training=dropout > 0)
        x = F.layer_norm(out + x, (x.shape[-1],), w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"], eps)
        states.append(x)
    pooled = None
    if "pooler.dense.weight" in w:
        pooled = torch.tanh(F.linear(x[:, 0], w["pooler.dense.weight"], w["pooler.dense.bias"]))
    return states, pooled
