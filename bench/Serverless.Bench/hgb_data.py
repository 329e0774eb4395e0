"""The bench's train/holdout CSVs as HistGradientBoosting inputs, shared by hgb_baseline.py and hgb_defaults.py."""
import numpy as np
import pandas as pd
from sklearn.preprocessing import OrdinalEncoder


def load(train_path, holdout_path, label, categorical):
    """Returns (train, holdout, x_train, x_holdout, categorical mask) for the comma-separated categorical columns."""
    categorical = [c for c in categorical.split(",") if c]
    train = pd.read_csv(train_path, keep_default_na=True)
    holdout = pd.read_csv(holdout_path, keep_default_na=True)
    features = [c for c in train.columns if c != label]

    # Categories as ordinal codes (unknown/missing -> NaN), marked categorical so trees split on them natively: this
    # tells the estimator which columns are categories (what a pandas category dtype does in newer releases), not a
    # tuning knob.
    encoder = OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=np.nan, encoded_missing_value=np.nan)
    x_train, x_holdout = train[features].copy(), holdout[features].copy()
    if categorical:
        x_train[categorical] = encoder.fit_transform(train[categorical].astype(str).where(train[categorical].notna()))
        x_holdout[categorical] = encoder.transform(holdout[categorical].astype(str).where(holdout[categorical].notna()))
    return train, holdout, x_train, x_holdout, [c in categorical for c in features]
