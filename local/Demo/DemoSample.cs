namespace Serverless.Local.Demo;

/// <summary>Which sample <c>demo</c> runs: the churn model (<c>demo</c>) or the two-view feature store sample (<c>demo accounts</c>).</summary>
public enum DemoSample
{
    Churn,
    Accounts,
}
