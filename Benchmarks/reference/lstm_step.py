"""PyTorch reference for `mlcourse bench`'s lstm_step_ms.

The same model and step as Sources/Benchmarks/LSTMStepBenchmark.swift: torch.nn.LSTM with input
size 1 and hidden size 64 over 100 time steps, batch 32; cross-entropy on the last hidden state
through Linear(64 -> 2); backward through time; Adam. CPU, 2 threads. Prints one JSON object:
the median milliseconds per step over several rounds, and each round's median.

    /work/venv-torch/bin/python Benchmarks/reference/lstm_step.py
"""
import json
import statistics
import time

import torch

torch.set_num_threads(2)
torch.manual_seed(2025)
STEPS, BATCH, HIDDEN, ITERATIONS, ROUNDS = 100, 32, 64, 100, 5

lstm = torch.nn.LSTM(1, HIDDEN)
head = torch.nn.Linear(HIDDEN, 2)
optimizer = torch.optim.Adam(list(lstm.parameters()) + list(head.parameters()), lr=1e-3)
inputs = torch.randn(STEPS, BATCH, 1)
labels = torch.randint(0, 2, (BATCH,))


def step():
    optimizer.zero_grad()
    out, _ = lstm(inputs)
    loss = torch.nn.functional.cross_entropy(head(out[-1]), labels)
    loss.backward()
    optimizer.step()


rounds = []
for _ in range(ROUNDS):
    for _ in range(10):
        step()  # warm caches and the allocator
    samples = []
    for _ in range(ITERATIONS):
        start = time.perf_counter()
        step()
        samples.append((time.perf_counter() - start) * 1e3)
    rounds.append(statistics.median(samples))
print(json.dumps({"torch": torch.__version__, "threads": torch.get_num_threads(),
                  "lstm_step_ms": statistics.median(rounds), "rounds_ms": rounds}))
