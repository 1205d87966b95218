namespace ReleaseGates;

/// <summary>How an SLO counts its error budget, as OpenSLO's <c>budgetingMethod</c> names the three.</summary>
public enum SloBudgetingMethod
{
    /// <summary>Events: the budget is the share of all events in the window that may be bad. A busy hour weighs more than a quiet one.</summary>
    Occurrences,

    /// <summary>
    /// Time slices: a slice (<see cref="SloGateOptions.TimesliceWindow"/>) is good when its share of good events reaches
    /// <see cref="SloGateOptions.TimesliceTarget"/>, and the budget is the share of slices that may be bad, so a quiet
    /// minute weighs as much as a busy one.
    /// </summary>
    Timeslices,

    /// <summary>Ratio time slices: the SLI is the mean of every slice's share of good events.</summary>
    RatioTimeslices,
}
