"""PyTorch reference for `transformer_step_ms` (mlcourse bench).

The same training step as Sources/Benchmarks/TransformerStepBenchmark.swift: a 2-layer pre-norm
transformer encoder (width 64, 4 heads, MLP 128 with ReLU, no dropout, final LayerNorm) over
32 sequences of 64 tokens, mean-pooled, Linear(64 -> 2), cross-entropy, backward, AdamW(1e-3).
CPU, 2 threads. Prints the median milliseconds of `--steps` timed steps after a warm-up.

    /work/venv-torch/bin/python Benchmarks/reference/transformer_step.py --runs 5
"""
import argparse
import statistics
import time

import torch
from torch import nn


def build(seed):
    torch.manual_seed(seed)
    layer = nn.TransformerEncoderLayer(d_model=64, nhead=4, dim_feedforward=128, dropout=0.0,
                                       activation="relu", batch_first=True, norm_first=True)
    encoder = nn.TransformerEncoder(layer, num_layers=2, norm=nn.LayerNorm(64),
                                    enable_nested_tensor=False)
    head = nn.Linear(64, 2)
    return encoder, head


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--steps", type=int, default=100)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)

    encoder, head = build(2024)
    params = list(encoder.parameters()) + list(head.parameters())
    optimizer = torch.optim.AdamW(params, lr=1e-3, weight_decay=0.01)
    generator = torch.Generator().manual_seed(7)
    tokens = torch.randn(32, 64, 64, generator=generator)
    labels = torch.randint(0, 2, (32,), generator=generator)
    loss_fn = nn.CrossEntropyLoss()

    def step():
        optimizer.zero_grad(set_to_none=True)
        logits = head(encoder(tokens).mean(dim=1))
        loss = loss_fn(logits, labels)
        loss.backward()
        optimizer.step()

    for _ in range(20):
        step()
    medians = []
    for _ in range(args.runs):
        samples = []
        for _ in range(args.steps):
            start = time.perf_counter()
            step()
            samples.append((time.perf_counter() - start) * 1e3)
        medians.append(statistics.median(samples))
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads")
    print("per-run medians (ms):", " ".join(f"{m:.2f}" for m in medians))
    print(f"transformer_step_ms (PyTorch): {statistics.median(medians):.2f}")


if __name__ == "__main__":
    main()
