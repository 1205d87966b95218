using System.Globalization;

namespace ReleaseGates;

/// <summary>A hand-written recursive-descent parser for the condition text form; every error names a column.</summary>
internal ref struct ConditionParser
{
    private readonly string _text;
    private int _pos;

    public ConditionParser(string text)
    {
        _text = text;
        _pos = 0;
    }

    public GateCondition ParseCondition()
    {
        SkipSpaces();
        var metric = ParseMetric();
        SkipSpaces();
        GateCondition condition;
        if (TryKeyword("between"))
        {
            var lower = ParseThreshold(allowRelative: false);
            ExpectKeyword("and");
            var upper = ParseThreshold(allowRelative: false);
            condition = new GateCondition(metric, ComparisonOperator.Between, lower) { UpperThreshold = upper };
        }
        else
        {
            var op = ParseOperator();
            var threshold = ParseThreshold(allowRelative: true);
            condition = new GateCondition(metric, op, threshold);
            SkipSpaces();
            if (TryKeyword("warn"))
            {
                var warn = ParseThreshold(allowRelative: true);
                if (warn.IsRelative != threshold.IsRelative)
                {
                    throw Error(_pos, threshold.IsRelative ? "a relative warning threshold (+N% or -N%) like the failure threshold"
                        : "an absolute warning threshold like the failure threshold");
                }

                condition = condition with { WarningThreshold = warn };
            }

            SkipSpaces();
            if (TryKeyword("floor"))
            {
                SkipSpaces();
                var floorStart = _pos;
                var floor = ParseThreshold(allowRelative: false);
                if (!threshold.IsRelative)
                {
                    throw Error(floorStart, "no floor: a floor applies only to a relative threshold such as +10%");
                }

                condition = condition with { Floor = floor };
            }
        }

        SkipSpaces();
        if (_pos < _text.Length)
        {
            throw Error(_pos, condition.Operator == ComparisonOperator.Between ? "the end of the condition" : "'warn', 'floor' or the end of the condition");
        }

        return condition;
    }

    private string ParseMetric()
    {
        var start = _pos;
        while (_pos < _text.Length && (char.IsLetterOrDigit(_text[_pos]) || _text[_pos] is '_' or '.' or '-'))
        {
            _pos++;
        }

        if (_pos == start || !char.IsLetter(_text[start]))
        {
            throw Error(start, "a metric name such as p(95), rate or line");
        }

        if (_pos < _text.Length && _text[_pos] == '(')
        {
            _pos++;
            var argStart = _pos;
            while (_pos < _text.Length && (char.IsDigit(_text[_pos]) || _text[_pos] == '.'))
            {
                _pos++;
            }

            if (_pos == argStart || !double.TryParse(_text.AsSpan(argStart, _pos - argStart), NumberStyles.Float, CultureInfo.InvariantCulture, out _))
            {
                throw Error(argStart, "a number inside the parentheses, such as p(95)");
            }

            if (_pos >= _text.Length || _text[_pos] != ')')
            {
                throw Error(_pos, "')'");
            }

            _pos++;
        }

        return _text[start.._pos];
    }

    private ComparisonOperator ParseOperator()
    {
        var start = _pos;
        if (_pos < _text.Length)
        {
            var c = _text[_pos];
            var next = _pos + 1 < _text.Length ? _text[_pos + 1] : '\0';
            switch (c)
            {
                case '<' when next == '=': _pos += 2; return ComparisonOperator.LessThanOrEqual;
                case '<': _pos++; return ComparisonOperator.LessThan;
                case '>' when next == '=': _pos += 2; return ComparisonOperator.GreaterThanOrEqual;
                case '>': _pos++; return ComparisonOperator.GreaterThan;
                case '=' when next == '=': _pos += 2; return ComparisonOperator.Equal;
            }
        }

        throw Error(start, "a comparison: <, <=, >, >=, == or 'between'");
    }

    private Threshold ParseThreshold(bool allowRelative)
    {
        SkipSpaces();
        var start = _pos;
        var relative = false;
        if (_pos < _text.Length && _text[_pos] is '+' or '-')
        {
            if (!allowRelative)
            {
                throw Error(start, "an absolute number here (a leading sign makes a threshold relative to the baseline)");
            }

            relative = true;
        }

        // A letter grade (grade >= B, grade >= A-) is a threshold in MetricUnit.Grade.
        if (!relative && _pos < _text.Length && char.IsAsciiLetterUpper(_text[_pos]))
        {
            var gradeEnd = _pos + 1;
            if (gradeEnd < _text.Length && _text[gradeEnd] is '+' or '-')
            {
                gradeEnd++;
            }

            if ((gradeEnd == _text.Length || char.IsWhiteSpace(_text[gradeEnd])) && LetterGrades.Rank(_text.AsSpan(_pos, gradeEnd - _pos)) is { } rank)
            {
                _pos = gradeEnd;
                return new Threshold(rank, MetricUnit.Grade);
            }
        }

        var numberStart = _pos;
        if (relative)
        {
            _pos++;
        }

        while (_pos < _text.Length && (char.IsDigit(_text[_pos]) || _text[_pos] is '.' or 'e' or 'E'
               || (_text[_pos] is '+' or '-' && _pos > numberStart && _text[_pos - 1] is 'e' or 'E')))
        {
            // 'e' only counts as an exponent when a digit follows, so "5e" never eats a unit.
            if (_text[_pos] is 'e' or 'E' && !(_pos + 1 < _text.Length && (char.IsDigit(_text[_pos + 1]) || _text[_pos + 1] is '+' or '-')))
            {
                break;
            }

            _pos++;
        }

        if (!double.TryParse(_text.AsSpan(numberStart, _pos - numberStart), NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            || double.IsNaN(value) || double.IsInfinity(value))
        {
            throw Error(start, "a number such as 300ms, 0.1%, 85% or 10");
        }

        var unitStart = _pos;
        while (_pos < _text.Length && !char.IsWhiteSpace(_text[_pos]))
        {
            _pos++;
        }

        // "0.1 %" and "24 h" as people write them: a space may come before a unit (never before a keyword).
        if (unitStart == _pos && _pos < _text.Length)
        {
            var tokenStart = _pos;
            while (tokenStart < _text.Length && char.IsWhiteSpace(_text[tokenStart]))
            {
                tokenStart++;
            }

            var tokenEnd = tokenStart;
            while (tokenEnd < _text.Length && !char.IsWhiteSpace(_text[tokenEnd]))
            {
                tokenEnd++;
            }

            if (tokenEnd > tokenStart && MetricUnitFormat.FromSymbol(_text.AsSpan(tokenStart, tokenEnd - tokenStart)) is { } spaced)
            {
                _pos = tokenEnd;
                return new Threshold(value, spaced, relative);
            }
        }

        var unit = MetricUnitFormat.FromSymbol(_text.AsSpan(unitStart, _pos - unitStart))
            ?? throw Error(unitStart, "a unit: ns, us, ms, s, min, h, d, %, ratio, count, rps, B, kB, MB, GB, KiB, MiB, GiB, score, or none");
        return new Threshold(value, unit, relative);
    }

    private bool TryKeyword(string keyword)
    {
        SkipSpaces();
        if (string.CompareOrdinal(_text, _pos, keyword, 0, keyword.Length) == 0
            && (_pos + keyword.Length == _text.Length || char.IsWhiteSpace(_text[_pos + keyword.Length])))
        {
            _pos += keyword.Length;
            return true;
        }

        return false;
    }

    private void ExpectKeyword(string keyword)
    {
        if (!TryKeyword(keyword))
        {
            throw Error(_pos, $"'{keyword}'");
        }
    }

    private void SkipSpaces()
    {
        while (_pos < _text.Length && char.IsWhiteSpace(_text[_pos]))
        {
            _pos++;
        }
    }

    private readonly ConditionFormatException Error(int position, string expected) => new(_text, position + 1, expected);
}
