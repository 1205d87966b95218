using System.Reflection;
using System.Text;

namespace ReleaseGates.Tests.PublicApi;

/// <summary>
/// The public surface, one line per member, compared with the approved file so that it only changes on purpose.
/// After a deliberate change, run with RELEASEGATES_ACCEPT_API=1 to rewrite the approved file, and review the diff.
/// </summary>
public class PublicApiTests
{
    [Fact]
    public void Public_api_matches_the_approved_snapshot()
    {
        var actual = Describe(typeof(ReleaseReport).Assembly);
        var approvedPath = Path.Combine(AppContext.BaseDirectory, "PublicApi", "ReleaseGates.approved.txt");
        if (Environment.GetEnvironmentVariable("RELEASEGATES_ACCEPT_API") == "1")
        {
            var source = Path.Combine(Support.Repository.Root, "tests", "ReleaseGates.Tests", "PublicApi", "ReleaseGates.approved.txt");
            File.WriteAllText(source, actual);
            return;
        }

        var approved = File.Exists(approvedPath) ? File.ReadAllText(approvedPath).ReplaceLineEndings("\n") : "";
        Assert.Equal(approved, actual);
    }

    private static string Describe(Assembly assembly)
    {
        var lines = new List<string>();
        foreach (var type in assembly.GetExportedTypes().OrderBy(t => t.FullName, StringComparer.Ordinal))
        {
            var kind = type.IsEnum ? "enum" : type.IsInterface ? "interface" : type.IsValueType ? "struct" : type.IsAbstract && type.IsSealed ? "static class" : type.IsSealed ? "sealed class" : "class";
            var bases = new List<string>();
            if (type.BaseType is { } b && b != typeof(object) && b != typeof(ValueType) && b != typeof(Enum))
            {
                bases.Add(Name(b));
            }

            bases.AddRange(type.GetInterfaces().Where(i => i.IsPublic).Select(Name).Order(StringComparer.Ordinal));
            lines.Add($"{kind} {Name(type)}{(bases.Count > 0 ? " : " + string.Join(", ", bases) : "")}");
            const BindingFlags Flags = BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
            var members = new List<string>();
            foreach (var m in type.GetMembers(Flags))
            {
                switch (m)
                {
                    case FieldInfo f when type.IsEnum && f.IsLiteral:
                        members.Add($"  {f.Name} = {Convert.ToInt64(f.GetRawConstantValue(), System.Globalization.CultureInfo.InvariantCulture)}");
                        break;
                    case FieldInfo f when !type.IsEnum:
                        members.Add($"  {(f.IsLiteral ? "const " : f.IsStatic ? "static " : "")}{Name(f.FieldType)} {f.Name}");
                        break;
                    case PropertyInfo p:
                        var accessors = (p.GetMethod?.IsPublic == true ? "get; " : "") + (p.SetMethod?.IsPublic == true ? (p.SetMethod.ReturnParameter.GetRequiredCustomModifiers().Any(t => t.Name == "IsExternalInit") ? "init; " : "set; ") : "");
                        members.Add($"  {Name(p.PropertyType)} {p.Name} {{ {accessors}}}");
                        break;
                    case ConstructorInfo c:
                        members.Add($"  ctor({Parameters(c)})");
                        break;
                    case MethodInfo mi when !mi.IsSpecialName && mi.Name != "<Clone>$":
                        members.Add($"  {(mi.IsStatic ? "static " : "")}{Name(mi.ReturnType)} {mi.Name}{(mi.IsGenericMethod ? "<" + string.Join(", ", mi.GetGenericArguments().Select(Name)) + ">" : "")}({Parameters(mi)})");
                        break;
                }
            }

            lines.AddRange(type.IsEnum ? members : members.Order(StringComparer.Ordinal));
        }

        return string.Join("\n", lines) + "\n";
    }

    private static string Parameters(MethodBase m) => string.Join(", ", m.GetParameters().Select(p => $"{Name(p.ParameterType)} {p.Name}{(p.HasDefaultValue ? " = " + (p.DefaultValue ?? "null") : "")}"));

    private static string Name(Type t)
    {
        if (t.IsGenericParameter)
        {
            return t.Name;
        }

        if (Nullable.GetUnderlyingType(t) is { } inner)
        {
            return Name(inner) + "?";
        }

        if (t.IsArray)
        {
            return Name(t.GetElementType()!) + "[]";
        }

        var name = t.IsNested ? Name(t.DeclaringType!) + "." + t.Name : (t.Namespace is "System" or "System.Collections.Generic" or "System.Threading" or "System.Threading.Tasks" or "ReleaseGates" ? t.Name : t.FullName ?? t.Name);
        if (t.IsByRef)
        {
            return Name(t.GetElementType()!) + "&";
        }

        if (!t.IsGenericType)
        {
            return name;
        }

        var sb = new StringBuilder(name[..name.IndexOf('`', StringComparison.Ordinal)]);
        sb.Append('<').Append(string.Join(", ", t.GetGenericArguments().Select(Name))).Append('>');
        return sb.ToString();
    }
}
