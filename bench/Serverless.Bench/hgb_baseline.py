"""HistGradientBoosting on the bench's train/holdout CSVs; prints {"fit_seconds", "auc", "sklearn"} as JSON.

Arguments: train.csv holdout.csv label categorical,columns trees leaves learning_rate min_leaf [fits (default 3)]
"""
import json
import statistics
import sys
import time

import sklearn
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import roc_auc_score

from hgb_data import load

train_path, holdout_path, label, categorical, trees, leaves, rate, min_leaf = sys.argv[1:9]
fits = int(sys.argv[9]) if len(sys.argv) > 9 else 3
train, holdout, x_train, x_holdout, mask = load(train_path, holdout_path, label, categorical)
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
