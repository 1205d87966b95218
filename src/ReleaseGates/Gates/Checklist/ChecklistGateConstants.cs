namespace ReleaseGates;

/// <summary>The checklist gate's finding codes, each listed on its docs page, and where that page is.</summary>
internal static class ChecklistGateConstants
{
    /// <summary>The gate's page, which documents every finding code below.</summary>
    public const string DocsPage = "docs/gates/checklist.md";

    public const string Empty = "checklist.empty";

    public const string Open = "checklist.open";

    public const string Unsigned = "checklist.unsigned";

    public const string NoEvidence = "checklist.no-evidence";

    public const string Stale = "checklist.stale";

    public const string FutureSignOff = "checklist.future-sign-off";

    public const string OpenChildren = "checklist.open-children";

    public const string MoreOpen = "checklist.more-open";

    public const string GroupMissing = "checklist.group-missing";

    public const string RequiredMissing = "checklist.required-missing";

    public const string RequiredOpen = "checklist.required-open";
}
