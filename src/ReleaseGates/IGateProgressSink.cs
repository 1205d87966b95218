namespace ReleaseGates;

/// <summary>Where one running gate's progress goes, as a <see cref="GateContext"/> reaches it (the evaluator implements it).</summary>
internal interface IGateProgressSink
{
    /// <summary>Tells how far the gate got; the detail is made only when the step is told (steps are thinned).</summary>
    void Running(Func<string> detail);
}
