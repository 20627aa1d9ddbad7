#!/usr/bin/python3
"""Side-by-side timing of ceusrad's cine CNN against PyTorch.

Reads the folder written by `go run ./kernellib/deep/bench -out DIR`
(inputs.f32, labels.u8, meta.json) and trains the same (2+1)D network in
PyTorch (Debian python3-torch 1.13, CPU, 2 threads) on the same tensors, the
same inner split and batches, with the same AdamW settings, for the same
number of epochs; then prints both mean epoch times (the first epoch left
out) and their ratio. The network, as deep.DefaultConfig builds it:

  per frame: [conv k×k (no bias) - batch norm - ReLU - max-pool 2×2] × blocks
  frames → (B, C, T, h·w): conv (kt×1, no bias) - batch norm - ReLU
  mean over space and time, dense layer → logit
  loss: class-weighted BCE with logits (weights n/(2·n_class), normalised per batch)

Usage: /usr/bin/python3 kernellib/deep/bench/torch_epoch.py DIR
"""
import json
import math
import os
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


class Net(nn.Module):
    def __init__(self, m):
        super().__init__()
        layers = []
        cin = m["Channels"]
        for c in m["Blocks"]:
            layers += [nn.Conv2d(cin, c, m["Kernel"], padding=m["Kernel"] // 2, bias=False),
                       nn.BatchNorm2d(c, eps=1e-5, momentum=m["BNMomentum"]),
                       nn.ReLU(), nn.MaxPool2d(2)]
            cin = c
        self.spatial = nn.Sequential(*layers)
        kt = m["TemporalKernel"]
        self.temporal = nn.Sequential(
            nn.Conv2d(cin, m["TemporalChannels"], (kt, 1), padding=(kt // 2, 0), bias=False),
            nn.BatchNorm2d(m["TemporalChannels"], eps=1e-5, momentum=m["BNMomentum"]),
            nn.ReLU())
        self.dense = nn.Linear(m["TemporalChannels"], 1)
        self.T = m["Frames"]

    def forward(self, x):  # x: (B·T, C, S, S)
        h = self.spatial(x)
        bt, c, hh, ww = h.shape
        h = h.reshape(bt // self.T, self.T, c, hh * ww).permute(0, 2, 1, 3)
        h = self.temporal(h)
        return self.dense(h.mean(dim=(2, 3))).squeeze(1)


def main(d):
    torch.set_num_threads(2)
    torch.manual_seed(1)
    with open(os.path.join(d, "meta.json")) as f:
        m = json.load(f)
    n, t, c, s = m["N"], m["Frames"], m["Channels"], m["Size"]
    x = torch.from_numpy(np.fromfile(os.path.join(d, "inputs.f32"), dtype="<f4").reshape(n, t, c, s, s).copy())
    y = torch.from_numpy(np.fromfile(os.path.join(d, "labels.u8"), dtype=np.uint8).astype(np.float32))
    inner, held = m["Inner"], m["Held"]
    yi = y[inner]
    w_pos = len(inner) / (2 * float(yi.sum()))
    w_neg = len(inner) / (2 * float(len(inner) - yi.sum()))
    net = Net(m)
    count = sum(p.numel() for p in net.parameters())
    if count != m["NumParams"]:
        sys.exit("torch_epoch: the PyTorch net has %d parameters, ceusrad's %d: not the same architecture" % (count, m["NumParams"]))
    decay = [p for nm, p in net.named_parameters() if nm.endswith("weight") and p.dim() > 1]
    other = [p for nm, p in net.named_parameters() if not (nm.endswith("weight") and p.dim() > 1)]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": m["WeightDecay"]},
                             {"params": other, "weight_decay": 0.0}],
                            lr=m["LearningRate"], betas=(m["Beta1"], m["Beta2"]), eps=m["Eps"])
    b = m["BatchSize"]
    rng = np.random.default_rng(1)
    times = []
    for ep in range(m["Epochs"]):
        t0 = time.perf_counter()
        net.train()
        order = rng.permutation(len(inner))
        for k in range(math.ceil(len(inner) / b)):
            idx = [inner[order[(k * b + j) % len(inner)]] for j in range(b)]
            xb = x[idx].reshape(b * t, c, s, s)
            yb = y[idx]
            wb = torch.where(yb > 0, torch.tensor(w_pos), torch.tensor(w_neg))
            wb = wb / wb.sum()
            loss = (wb * F.binary_cross_entropy_with_logits(net(xb), yb, reduction="none")).sum()
            opt.zero_grad()
            loss.backward()
            opt.step()
        net.eval()
        with torch.no_grad():
            for lo in range(0, len(held), b):
                idx = held[lo:lo + b]
                net(x[idx].reshape(len(idx) * t, c, s, s))
        times.append(time.perf_counter() - t0)
        print("pytorch epoch %d: %.2fs" % (ep + 1, times[-1]), file=sys.stderr)
    torch_mean = sum(times[1:]) / (len(times) - 1)
    go_mean = m["GoMeanS"]
    print("epochs 2..%d, %d training cines × %d frames × %d×%d×%d, batch %d, %d parameters on both sides" % (m["Epochs"], n, t, c, s, s, b, count))
    print("ceusrad (%s, GOMAXPROCS %d): %.2f s per epoch" % (m["GoVersion"], m["GoMaxProcs"], go_mean))
    print("PyTorch %s (CPU, %d threads): %.2f s per epoch" % (torch.__version__, torch.get_num_threads(), torch_mean))
    print("ratio ceusrad / PyTorch: %.2f" % (go_mean / torch_mean))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: torch_epoch.py DIR (written by go run ./kernellib/deep/bench -out DIR)")
    main(sys.argv[1])
