#!/usr/bin/python3
"""Reference values for TreeExplainer's XGBoost agreement test (XgboostReferenceTests).

Trains two small fixed XGBoost models (regression and binary logistic) on seeded data with missing values, and writes
xgboost_treeshap.json: each model's trees as flat arrays (exact float32 values from the model's JSON: thresholds, leaf
values, covers = sum of hessians), some rows, XGBoost's margins and its pred_contribs (path-dependent TreeSHAP; the
last column is the bias = expected value). The C# test loads the trees into the platform's explainer and compares.

Run with Debian's python3-xgboost (1.7.4 when the committed file was made):
    sudo apt-get install -y python3-xgboost && /usr/bin/python3 xgboost_treeshap.py
"""
import json
import os

import numpy as np
import xgboost as xgb

FEATURES = 5
rng = np.random.default_rng(13)
X = rng.normal(size=(2000, FEATURES)).astype(np.float32)
X[rng.random(X.shape) < 0.05] = np.nan
signal = 1.5 * np.nan_to_num(X[:, 0]) - np.nan_to_num(X[:, 1]) * np.nan_to_num(X[:, 2]) + 0.5 * (np.nan_to_num(X[:, 3]) > 0.3)
y_reg = signal + 0.3 * rng.normal(size=len(X))
y_bin = (signal + 0.5 * rng.normal(size=len(X)) > 0).astype(np.float32)
rows = X[:40]


def trees_of(booster):
    model = json.loads(booster.save_raw("json"))
    out = []
    for tree in model["learner"]["gradient_booster"]["model"]["trees"]:
        left, right = tree["left_children"], tree["right_children"]
        leaf = [l == -1 for l in left]
        out.append({
            # XGBoost goes left ("yes") when x < threshold and sends missing values to the default side.
            "feature": [-1 if leaf[i] else tree["split_indices"][i] for i in range(len(left))],
            "threshold": [0.0 if leaf[i] else tree["split_conditions"][i] for i in range(len(left))],
            "left": left,
            "right": right,
            "defaultLeft": [bool(d) for d in tree["default_left"]],
            # A leaf's split_conditions entry is its output (learning rate applied).
            "value": [tree["split_conditions"][i] if leaf[i] else 0.0 for i in range(len(left))],
            "cover": tree["sum_hessian"],
        })
    return out


def case(name, params, label):
    booster = xgb.train(dict(params, max_depth=4, eta=0.3, seed=0, nthread=1, tree_method="exact"),
                        xgb.DMatrix(X, label=label, missing=np.nan), num_boost_round=10)
    d = xgb.DMatrix(rows, missing=np.nan)
    contribs = booster.predict(d, pred_contribs=True)
    return {
        "name": name,
        "trees": trees_of(booster),
        "margins": [float(m) for m in booster.predict(d, output_margin=True)],
        "contributions": [[float(v) for v in r[:FEATURES]] for r in contribs],
        "bias": [float(r[FEATURES]) for r in contribs],
    }


result = {
    "xgboostVersion": xgb.__version__,
    "features": FEATURES,
    # JSON cannot hold NaN: missing values are null.
    "rows": [[None if np.isnan(v) else float(v) for v in r] for r in rows],
    "models": [
        case("regression", {"objective": "reg:squarederror", "base_score": 0.0}, y_reg),
        case("binary", {"objective": "binary:logistic", "base_score": 0.5}, y_bin),
    ],
}
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "xgboost_treeshap.json"), "w") as f:
    json.dump(result, f, indent=1)
