namespace ReleaseGates;

/// <summary>Coverage of one source line: hits, and branches covered of branches found.</summary>
internal struct LineCoverage
{
    public long Hits;
    public int BranchesCovered;
    public int BranchesTotal;
}

/// <summary>Coverage of one source file within one module (assembly, package).</summary>
internal sealed class FileCoverage(string module, string path)
{
    public string Module { get; } = module;

    /// <summary>The path as the report writes it, with '/' separators.</summary>
    public string Path { get; } = path;

    /// <summary>Coverable lines by number (unordered: sort the keys where order matters).</summary>
    public Dictionary<int, LineCoverage> Lines { get; } = [];

    /// <summary>Methods by a key unique within the file, and whether any of their lines ran.</summary>
    public Dictionary<string, bool> Methods { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Statements by their method and span (dotCover), and whether any report covered them; empty for formats without
    /// statements. Two methods may share a span (a generic method and its instantiation): each counts.
    /// </summary>
    public Dictionary<(string Method, int Line, int Column, int EndLine, int EndColumn), bool> Statements { get; } = [];

    public int CoveredLines => Lines.Values.Count(l => l.Hits > 0);

    public int CoverableLines => Lines.Count;

    public void AddLine(int number, long hits, int branchesCovered = 0, int branchesTotal = 0)
    {
        Lines.TryGetValue(number, out var line);
        line.Hits = hits > long.MaxValue - line.Hits ? long.MaxValue : line.Hits + hits;

        // A report has no branch identity: the best of the entries for a line stands (ReportGenerator's rule).
        line.BranchesCovered = Math.Max(line.BranchesCovered, branchesCovered);
        line.BranchesTotal = Math.Max(line.BranchesTotal, branchesTotal);
        Lines[number] = line;
    }

    public void AddStatement((string Method, int Line, int Column, int EndLine, int EndColumn) span, bool covered)
        => Statements[span] = covered || (Statements.TryGetValue(span, out var was) && was);

    public void AddMethod(string key, bool covered)
        => Methods[key] = covered || (Methods.TryGetValue(key, out var was) && was);
}

/// <summary>The coverage read from one or more reports, keyed by module and path.</summary>
internal sealed class CoverageData
{
    private readonly Dictionary<(string Module, string Path), FileCoverage> _files = [];

    public IEnumerable<FileCoverage> Files => _files.Values;

    public FileCoverage File(string module, string path)
    {
        var key = (module, NormalizePath(path));
        if (!_files.TryGetValue(key, out var file))
        {
            file = new FileCoverage(module, key.Item2);
            _files[key] = file;
        }

        return file;
    }

    /// <summary>
    /// Adds another report the way ReportGenerator merges: a line is coverable if it is coverable in either report and
    /// covered if covered in either (hits add up); per line the larger branch counts stand.
    /// </summary>
    public void Merge(CoverageData other)
    {
        foreach (var source in other.Files)
        {
            var target = File(source.Module, source.Path);
            foreach (var (number, line) in source.Lines)
            {
                target.AddLine(number, line.Hits, line.BranchesCovered, line.BranchesTotal);
            }

            foreach (var (key, covered) in source.Methods)
            {
                target.AddMethod(key, covered);
            }

            foreach (var (span, covered) in source.Statements)
            {
                target.AddStatement(span, covered);
            }
        }
    }

    public static string NormalizePath(string path) => path.Replace('\\', '/');
}

/// <summary>Totals over a set of files.</summary>
internal readonly record struct CoverageCounts(long CoveredLines, long CoverableLines, long CoveredBranches, long TotalBranches,
    long CoveredMethods, long TotalMethods, long CoveredStatements = 0, long TotalStatements = 0)
{
    public static CoverageCounts Of(IEnumerable<FileCoverage> files)
    {
        long cl = 0, tl = 0, cb = 0, tb = 0, cm = 0, tm = 0, cs = 0, ts = 0;
        foreach (var f in files)
        {
            foreach (var line in f.Lines.Values)
            {
                tl++;
                if (line.Hits > 0)
                {
                    cl++;
                }

                cb += line.BranchesCovered;
                tb += line.BranchesTotal;
            }

            tm += f.Methods.Count;
            cm += f.Methods.Values.Count(c => c);
            ts += f.Statements.Count;
            cs += f.Statements.Values.Count(c => c);
        }

        return new CoverageCounts(cl, tl, cb, tb, cm, tm, cs, ts);
    }

    public (long Covered, long Total) For(string metric) => metric switch
    {
        "line" => (CoveredLines, CoverableLines),
        "branch" => (CoveredBranches, TotalBranches),
        "method" => (CoveredMethods, TotalMethods),
        "statement" => (CoveredStatements, TotalStatements),
        _ => throw new ArgumentOutOfRangeException(nameof(metric), metric, "Unknown coverage metric."),
    };
}
