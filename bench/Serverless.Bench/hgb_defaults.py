"""scikit-learn HistGradientBoosting with its default hyperparameters on the bench's train/holdout CSVs (any task).

Writes the holdout predictions to predictions.csv (binary: P(positive); multiclass: one probability column per class,
header = the classes; regression: the prediction), so the bench scores them with the platform's own ModelEvaluator,
and prints {"fit_seconds", "iterations", "sklearn"} as JSON.

Arguments: train.csv holdout.csv predictions.csv label task(binary|multiclass|regression) categorical,columns
"""
import json
import sys
import time

import numpy as np
import pandas as pd
import sklearn
from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor
from sklearn.preprocessing import OrdinalEncoder

train_path, holdout_path, predictions_path, label, task, categorical = sys.argv[1:7]
categorical = [c for c in categorical.split(",") if c]
train = pd.read_csv(train_path, keep_default_na=True)
holdout = pd.read_csv(holdout_path, keep_default_na=True)
features = [c for c in train.columns if c != label]

# Categories as ordinal codes (unknown/missing -> NaN), marked categorical so trees split on them natively: this tells
# the estimator which columns are categories (what a pandas category dtype does in newer releases), not a tuning knob.
encoder = OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=np.nan, encoded_missing_value=np.nan)
x_train, x_holdout = train[features].copy(), holdout[features].copy()
if categorical:
    x_train[categorical] = encoder.fit_transform(train[categorical].astype(str).where(train[categorical].notna()))
    x_holdout[categorical] = encoder.transform(holdout[categorical].astype(str).where(holdout[categorical].notna()))
mask = [c in categorical for c in features]

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
