using System.Globalization;
using System.Text.Json.Nodes;

namespace ReleaseGates;

/// <summary>A small JSON path: <c>$</c>, then <c>.name</c>, <c>['name']</c> and <c>[index]</c> steps.</summary>
internal static class JsonPath
{
    public static bool TryParse(string path, out List<object> steps)
    {
        steps = [];
        var p = path.Trim();
        var i = p.StartsWith('$') ? 1 : 0;
        if (i == 0 && p.Length > 0)
        {
            p = "." + p; // "status.code" means "$.status.code"
        }

        while (i < p.Length)
        {
            if (p[i] == '.')
            {
                var end = i + 1;
                while (end < p.Length && p[end] != '.' && p[end] != '[')
                {
                    end++;
                }

                if (end == i + 1)
                {
                    return false;
                }

                steps.Add(p[(i + 1)..end]);
                i = end;
            }
            else if (p[i] == '[')
            {
                var close = p.IndexOf(']', i);
                if (close < 0)
                {
                    return false;
                }

                var inner = p[(i + 1)..close].Trim();
                if (inner.Length >= 2 && (inner[0] == '\'' || inner[0] == '"') && inner[^1] == inner[0])
                {
                    steps.Add(inner[1..^1]);
                }
                else if (int.TryParse(inner, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
                {
                    steps.Add(index);
                }
                else
                {
                    return false;
                }

                i = close + 1;
            }
            else
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Follows <paramref name="steps"/>; false when a step does not exist.</summary>
    public static bool TrySelect(JsonNode? root, List<object> steps, out JsonNode? value)
    {
        value = root;
        foreach (var step in steps)
        {
            switch (step)
            {
                case string name when value is JsonObject o && o.TryGetPropertyValue(name, out var child):
                    value = child;
                    break;
                case int index when value is JsonArray a && index < a.Count:
                    value = a[index];
                    break;
                default:
                    value = null;
                    return false;
            }
        }

        return true;
    }
}
