namespace ReleaseGates.Tests.Gates.Checklist;

public class MarkdownChecklistTests
{
    private static List<ChecklistItem> Read(string markdown) => MarkdownChecklist.Read(new StringReader(markdown), "RELEASE.md");

    [Fact]
    public void Reads_task_items_with_their_lines_headings_and_nesting()
    {
        var items = Read("""
            # Release
            ## Phase 1
            - [x] Build
              - [X] Unit tests
              - [ ] Integration tests
            * [ ] Docs
            ## Phase 2
            1. [x] Deploy to staging
            + [ ] Deploy to production
            """);

        Assert.Equal(["Build", "Unit tests", "Integration tests", "Docs", "Deploy to staging", "Deploy to production"], items.Select(i => i.Text));
        Assert.Equal([3, 4, 5, 6, 8, 9], items.Select(i => i.Line));
        Assert.Equal([true, true, false, false, true, false], items.Select(i => i.Checked));
        Assert.Equal([-1, 0, 0, -1, -1, -1], items.Select(i => i.Parent));
        Assert.Equal(["Release", "Phase 1"], items[2].Headings.Select(h => h.Text));
        Assert.Equal(["Release", "Phase 2"], items[5].Headings.Select(h => h.Text));
    }

    [Fact]
    public void Skips_fenced_code_and_lines_that_only_look_like_items()
    {
        var items = Read("""
            ## Setup
            ```bash
            # not a heading
            - [ ] not an item either
            ```
            - [x] Real item
            -[x] no space after the dash
            - [y] not a box
            Text mentioning - [ ] inline
            """);

        Assert.Equal(["Real item"], items.Select(i => i.Text));
        Assert.Equal("Setup", Assert.Single(items).Headings.Single().Text);
    }

    [Fact]
    public void A_table_row_with_one_status_cell_is_an_item()
    {
        var items = Read("""
            ### Tier 2
            | item | status | detail |
            |------|--------|--------|
            | Benchmarks | 🟢 | P95 < 2s |
            | Caching | 🟡 | planned |
            | Backups | ❌ | |
            | Coverage | 85% | 88% |
            | Two marks | ✅ | ❌ |
            | ✅ 103% | value | other |
            """);

        Assert.Equal(["Benchmarks — P95 < 2s", "Caching — planned", "Backups"], items.Select(i => i.Text));
        Assert.Equal([true, false, false], items.Select(i => i.Checked));
        Assert.Equal([4, 5, 6], items.Select(i => i.Line));
    }

    [Fact]
    public void Reads_a_sign_off_as_a_name_then_a_date_and_the_first_link_as_evidence()
    {
        var items = Read("""
            - [x] Load test — @alice 2026-11-30 [report](https://ci.example.com/run/42)
            - [x] Pen test due 2027-01-15, mail ops@example.com
            - [x] Backup restore @bob.smith on 2026-11-02 https://wiki.example.com/restore
            """);

        Assert.Equal(("alice", new DateOnly(2026, 11, 30), "https://ci.example.com/run/42"), (items[0].SignedBy, items[0].SignedOn, items[0].Evidence));
        Assert.Null(items[1].SignedBy);
        Assert.Null(items[1].SignedOn);
        Assert.Null(items[1].Evidence);
        Assert.Equal(("bob.smith", new DateOnly(2026, 11, 2), "https://wiki.example.com/restore"), (items[2].SignedBy, items[2].SignedOn, items[2].Evidence));
    }
}
