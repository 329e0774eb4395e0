"""HistGradientBoosting on the bench's train/holdout CSVs; prints {"fit_seconds", "auc", "sklearn"} as JSON.

Arguments: train.csv holdout.csv label categorical,columns trees leaves learning_rate min_leaf [fits (default 3)]
"""
import json
import statistics
import sys
import time

import numpy as np
import pandas as pd
import sklearn
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import roc_auc_score
from sklearn.preprocessing import OrdinalEncoder

train_path, holdout_path, label, categorical, trees, leaves, rate, min_leaf = sys.argv[1:9]
fits = int(sys.argv[9]) if len(sys.argv) > 9 else 3
categorical = [c for c in categorical.split(",") if c]
train = pd.read_csv(train_path, keep_default_na=True)
holdout = pd.read_csv(holdout_path, keep_default_na=True)
features = [c for c in train.columns if c != label]

# Categories as ordinal codes (unknown/missing -> NaN), marked categorical so trees split on them natively.
encoder = OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=np.nan, encoded_missing_value=np.nan)
x_train, x_holdout = train[features].copy(), holdout[features].copy()
if categorical:
    x_train[categorical] = encoder.fit_transform(train[categorical].astype(str).where(train[categorical].notna()))
    x_holdout[categorical] = encoder.transform(holdout[categorical].astype(str).where(holdout[categorical].notna()))
mask = [c in categorical for c in features]
y_train = train[label].astype(float) > 0.5
y_holdout = holdout[label].astype(float) > 0.5

times, model = [], None
for _ in range(fits):
    model = HistGradientBoostingClassifier(
        max_iter=int(float(trees)), max_leaf_nodes=int(float(leaves)), learning_rate=float(rate),
        min_samples_leaf=int(float(min_leaf)), categorical_features=mask, early_stopping=False, random_state=42)
    start = time.perf_counter()
    model.fit(x_train, y_train)
    times.append(time.perf_counter() - start)

auc = roc_auc_score(y_holdout, model.predict_proba(x_holdout)[:, 1])
print(json.dumps({"fit_seconds": statistics.median(times), "auc": auc, "sklearn": sklearn.__version__}))
