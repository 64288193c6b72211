"""PyTorch reference for `mlcourse bench --only cnn_step`.

Times one full training step (forward, cross-entropy, backward, AdamW) of cnn-ecg's default
network on the CPU with 2 threads, as the engine's figure is measured: batch 64 of 250-sample
single-channel beats (seeded random inputs), 10 warm-up steps, then the median of 100 steps.
Run it several times and take the median of the medians:

    /work/venv-torch/bin/python Benchmarks/reference/cnn_step.py --runs 5
"""
import argparse
import json
import statistics
import time

import torch
from torch import nn


def model() -> nn.Module:
    return nn.Sequential(
        nn.Conv1d(1, 64, 5, padding=2), nn.ReLU(), nn.MaxPool1d(2),
        nn.Conv1d(64, 64, 5, padding=2), nn.ReLU(), nn.MaxPool1d(2),
        nn.AdaptiveAvgPool1d(1), nn.Flatten(),
        nn.Linear(64, 5),
    )


def step_ms(iterations: int) -> float:
    torch.manual_seed(2024)
    net = model()
    optimizer = torch.optim.AdamW(net.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    inputs = torch.randn(64, 1, 250)
    labels = torch.randint(0, 5, (64,))

    def step():
        optimizer.zero_grad(set_to_none=True)
        loss = loss_fn(net(inputs), labels)
        loss.backward()
        optimizer.step()

    for _ in range(10):
        step()
    samples = []
    for _ in range(iterations):
        start = time.perf_counter()
        step()
        samples.append((time.perf_counter() - start) * 1e3)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--iterations", type=int, default=100)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    runs = [step_ms(args.iterations) for _ in range(args.runs)]
    print(json.dumps({"torch": torch.__version__, "threads": torch.get_num_threads(),
                      "cnn_step_ms_runs": [round(r, 3) for r in runs],
                      "cnn_step_ms": round(statistics.median(runs), 3)}))


if __name__ == "__main__":
    main()
