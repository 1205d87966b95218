using System.Text.RegularExpressions;
using ReleaseGates.IO;

namespace ReleaseGates;

/// <summary>
/// Applies waivers to evaluated gates, live and on replay alike: every mark already present is cleared, then each
/// finding and measurement that falls short is covered by the first waiver in force that names it. A gate's status is
/// then its evidence with the covered items met, never better than what the gate claimed beyond its evidence.
/// </summary>
internal static class WaiverApplication
{
    internal sealed record Outcome(IReadOnlyList<GateReport> Gates, IReadOnlyList<WaiverReport> Waivers);

    public static Outcome Apply(IReadOnlyList<GateReport> gates, IReadOnlyList<Waiver> waivers, DateOnly day)
    {
        var matchers = waivers.Select(w => new Matcher(w, w.IsInForceOn(day))).ToArray();
        var result = new GateReport[gates.Count];
        for (var i = 0; i < gates.Count; i++)
        {
            result[i] = ApplyToGate(gates[i], matchers);
        }

        var reports = matchers.Select(m => new WaiverReport
        {
            Waiver = m.Waiver,
            State = !m.InForce ? WaiverState.Expired : m.Matches > 0 ? WaiverState.Applied : WaiverState.Unused,
            Matches = m.Matches,
        }).ToArray();
        return new Outcome(result, reports);
    }

    private static GateReport ApplyToGate(GateReport gate, Matcher[] matchers)
    {
        var hasMarks = gate.Measurements.Any(m => m.WaivedBy is not null) || gate.Findings.Any(f => f.WaivedBy is not null);
        var candidates = matchers.Where(m => string.Equals(m.Waiver.Gate, gate.Name, StringComparison.OrdinalIgnoreCase)).ToArray();
        if (!hasMarks && candidates.Length == 0)
        {
            return gate;
        }

        // What the gate claimed beyond its evidence (a custom reason to fail, Skipped) is kept; no waiver reaches it.
        var intrinsic = gate.IntrinsicStatus;
        var covered = new List<string>();

        // An Error is not evaluated evidence: nothing in it is waived, and its marks (from an edited report) are cleared.
        var active = gate.Status == GateStatus.Error ? [] : candidates;
        var measurements = gate.Measurements.Select(m => m with { WaivedBy = Cover(active,
            m.Status is GateStatus.Failed or GateStatus.Warning, m.Name, Kind.Measurement, m.Target, null, covered) }).ToArray();
        var findings = gate.Findings.Select(f => f with { WaivedBy = Cover(active, f.Severity != FindingSeverity.Info, f.Code, Kind.Finding,
            f.Target, f.Location, covered) }).ToArray();
        var status = gate.Status == GateStatus.Error ? GateStatus.Error : GateVerdict.Worst(intrinsic, GateVerdict.FromEvidence(measurements, findings));
        var ids = covered.Distinct(StringComparer.Ordinal).ToArray();
        var suffix = ids.Length == 0 ? ""
            : $" ({(ids.Length == 1 ? "waiver" : "waivers")} {string.Join(", ", ids)} {(ids.Length == 1 ? "covers" : "cover")} {covered.Count} shortfall{(covered.Count == 1 ? "" : "s")})";
        return gate.WithOutcome(status, gate.Summary.EndsWith(suffix, StringComparison.Ordinal) ? gate.Summary : gate.Summary + suffix, measurements, findings);
    }

    /// <summary>
    /// The id of the first waiver in force that covers the item, counting a match on every waiver that names it; <see
    /// langword="null"/> for none.
    /// </summary>
    private static string? Cover(Matcher[] matchers, bool fallsShort, string name, Kind kind, string? target, string? location, List<string> covered)
    {
        if (!fallsShort)
        {
            return null;
        }

        string? id = null;
        foreach (var matcher in matchers)
        {
            if (!matcher.Names(kind, name, target, location))
            {
                continue;
            }

            if (!matcher.InForce)
            {
                matcher.Matches++; // what an expired waiver would have covered, shown in its entry
            }
            else if (id is null)
            {
                matcher.Matches++;
                id = matcher.Waiver.Id;
                covered.Add(id);
            }
        }

        return id;
    }

    private enum Kind
    {
        Finding,
        Measurement,
    }

    private sealed class Matcher(Waiver waiver, bool inForce)
    {
        private readonly Regex? _target = waiver.Target is { } t ? TextGlob.Create(t) : null;
        private readonly bool _byFileName = waiver.Target is { } t2 && t2.IndexOfAny(['/', '\\']) < 0;

        public Waiver Waiver => waiver;

        public bool InForce => inForce;

        public int Matches { get; set; }

        public bool Names(Kind kind, string name, string? target, string? location)
        {
            var wanted = kind == Kind.Finding ? waiver.Finding : waiver.Measurement;
            if (wanted is null || !string.Equals(wanted, name, StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }

            if (_target is null || IsMatch(target) || IsMatch(location))
            {
                return true;
            }

            // A pattern without a folder also matches a file by its name (and line): "CHECKLIST.md:27" for docs/CHECKLIST.md.
            if (!_byFileName || target is null || !SarifReportWriter.NamesFile(target))
            {
                return false;
            }

            var fileName = target[(target.LastIndexOfAny(['/', '\\']) + 1)..];
            return IsMatch(fileName) || (location is not null && IsMatch(fileName + location[target.Length..]));
        }

        private bool IsMatch(string? text) => text is not null && _target!.IsMatch(text);
    }
}
