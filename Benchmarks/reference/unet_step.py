"""PyTorch reference for `mlcourse bench`'s unet_step_ms.

The same model and step as Sources/Benchmarks/UNetStepBenchmark.swift (the `unet-ecg` network,
Sources/Labs/Segmentation/UNet.swift): a 1-D U-Net with 3 levels of 16, 32 and 64 channels,
kernel 5 ("same" padding), each level two conv + ReLU then max-pool 2 (1,000 -> 500 -> 250 ->
125 samples); a bottleneck block of 64 channels; each decoder level a transposed conv (kernel 2,
stride 2) + ReLU, the skip concatenated along channels, two conv + ReLU; a 1x1 conv to 4
classes. Batch 16 of random normal signals of 1,000 samples with random labels among 4
classes; loss = soft Dice over the 3 foreground classes (softmax, pooled over the batch,
smoothing 1) + per-sample cross-entropy, weights 1 and 1; backward; Adam (lr 0.003). CPU, 2
threads. Prints one JSON object: the median milliseconds per step over several rounds, and each
round's median.

    /work/venv-torch/bin/python Benchmarks/reference/unet_step.py [--runs 5]
"""
import argparse
import json
import statistics
import time

import torch
import torch.nn.functional as F

parser = argparse.ArgumentParser()
parser.add_argument("--runs", type=int, default=5, help="rounds; the figure is the median of their medians")
parser.add_argument("--iterations", type=int, default=30, help="timed steps per round")
args = parser.parse_args()

torch.set_num_threads(2)
torch.manual_seed(2024)
DEPTH, WIDTH, KERNEL, LENGTH, CLASSES, BATCH = 3, 16, 5, 1000, 4, 16


class Block(torch.nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.first = torch.nn.Conv1d(cin, cout, KERNEL, padding=KERNEL // 2)
        self.second = torch.nn.Conv1d(cout, cout, KERNEL, padding=KERNEL // 2)

    def forward(self, x):
        return F.relu(self.second(F.relu(self.first(x))))


class UNet(torch.nn.Module):
    def __init__(self):
        super().__init__()
        channels = [WIDTH << level for level in range(DEPTH)]
        lengths = [LENGTH]
        for _ in range(DEPTH):
            lengths.append(lengths[-1] // 2)
        self.encoders = torch.nn.ModuleList()
        cin = 1
        for c in channels:
            self.encoders.append(Block(cin, c))
            cin = c
        self.bottleneck = Block(cin, cin)
        self.ups = torch.nn.ModuleList()
        self.decoders = torch.nn.ModuleList()
        below = cin
        for level in reversed(range(DEPTH)):
            c = channels[level]
            extra = lengths[level] - 2 * lengths[level + 1]
            self.ups.append(torch.nn.ConvTranspose1d(below, c, 2, stride=2, output_padding=extra))
            self.decoders.append(Block(2 * c, c))
            below = c
        self.head = torch.nn.Conv1d(channels[0], CLASSES, 1)

    def forward(self, x):
        saved = []
        for encoder in self.encoders:
            x = encoder(x)
            saved.append(x)
            x = F.max_pool1d(x, 2)
        x = self.bottleneck(x)
        for i, (up, decoder) in enumerate(zip(self.ups, self.decoders)):
            x = F.relu(up(x))
            x = decoder(torch.cat([saved[-1 - i], x], dim=1))
        return self.head(x)


def dice_cross_entropy(logits, labels):
    truth = F.one_hot(labels, CLASSES).permute(0, 2, 1).float()
    p = logits.softmax(dim=1)
    overlap = (p * truth).sum(dim=(0, 2))
    predicted = p.sum(dim=(0, 2))
    actual = truth.sum(dim=(0, 2))
    dice = (2 * overlap + 1) / (predicted + actual + 1)
    return (1 - dice[1:].mean()) + F.cross_entropy(logits, labels)


model = UNet()
optimizer = torch.optim.Adam(model.parameters(), lr=0.003)
inputs = torch.randn(BATCH, 1, LENGTH)
labels = torch.randint(0, CLASSES, (BATCH, LENGTH))


def step():
    optimizer.zero_grad()
    loss = dice_cross_entropy(model(inputs), labels)
    loss.backward()
    optimizer.step()


rounds = []
for _ in range(args.runs):
    for _ in range(3):
        step()  # warm caches and the allocator
    samples = []
    for _ in range(args.iterations):
        start = time.perf_counter()
        step()
        samples.append((time.perf_counter() - start) * 1e3)
    rounds.append(statistics.median(samples))
print(json.dumps({"torch": torch.__version__, "threads": torch.get_num_threads(),
                  "unet_step_ms": statistics.median(rounds), "rounds_ms": rounds}))
