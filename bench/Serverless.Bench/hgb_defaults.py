"""scikit-learn HistGradientBoosting with its default hyperparameters on the bench's train/holdout CSVs (any task).

Writes the holdout predictions to predictions.csv (binary: P(positive); multiclass: one probability column per class,
header = the classes; regression: the prediction), so the bench scores them with the platform's own ModelEvaluator,
and prints {"fit_seconds", "iterations", "sklearn"} as JSON.

Arguments: train.csv holdout.csv predictions.csv label task(binary|multiclass|regression) categorical,columns
"""
import json
import sys
import time

import pandas as pd
import sklearn
from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor

from hgb_data import load

train_path, holdout_path, predictions_path, label, task, categorical = sys.argv[1:7]
train, holdout, x_train, x_holdout, mask = load(train_path, holdout_path, label, categorical)

# Defaults otherwise (max_iter 100, learning_rate 0.1, max_leaf_nodes 31, min_samples_leaf 20, early_stopping "auto":
# on above 10,000 rows); random_state only fixes early stopping's validation split.
if task == "regression":
    model = HistGradientBoostingRegressor(categorical_features=mask, random_state=42)
    y_train = train[label].astype(float)
elif task == "binary":
    model = HistGradientBoostingClassifier(categorical_features=mask, random_state=42)
    y_train = train[label].astype(float) > 0.5
else:
    model = HistGradientBoostingClassifier(categorical_features=mask, random_state=42)
    y_train = train[label].astype(str)

start = time.perf_counter()
model.fit(x_train, y_train)
seconds = time.perf_counter() - start

if task == "regression":
    pd.DataFrame({"prediction": model.predict(x_holdout)}).to_csv(predictions_path, index=False)
elif task == "binary":
    pd.DataFrame({"probability": model.predict_proba(x_holdout)[:, 1]}).to_csv(predictions_path, index=False)
else:
    pd.DataFrame(model.predict_proba(x_holdout), columns=[str(c) for c in model.classes_]).to_csv(predictions_path, index=False)
print(json.dumps({"fit_seconds": seconds, "iterations": int(model.n_iter_), "sklearn": sklearn.__version__}))
