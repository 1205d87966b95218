using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ReleaseGates;

/// <summary>
/// <c>"type": "migrationIntegrity"</c> in <c>releasegates.json</c>: the database as a <c>provider</c> and a
/// <c>connectionString</c> (an environment reference such as <c>${DATABASE_URL}</c>, never repeated in a message), the
/// <c>journal</c>, <c>schema</c> expectations and data <c>invariants</c>; paths relative to the file.
/// </summary>
internal sealed class MigrationIntegrityGateKind : GateKind<MigrationIntegrityGateOptions>
{
    /// <summary>Creates the kind, declaring the classes its options hold.</summary>
    public MigrationIntegrityGateKind()
        : base("migrationIntegrity")
    {
        AddOptionsType<ColumnForm>();
        AddOptionsType<IndexForm>();
        AddOptionsType<InvariantForm>();
    }

    private const string ProviderProperty = "provider";
    private const string ConnectionStringProperty = "connectionString";

    /// <summary>The providers a file can name: the dialect and the ADO.NET provider's invariant name and factory type.</summary>
    private static readonly Dictionary<string, (SqlDialect Dialect, string Invariant, string FactoryType)> Providers = new(StringComparer.OrdinalIgnoreCase)
    {
        ["sqlite"] = (SqlDialect.Sqlite, "Microsoft.Data.Sqlite", "Microsoft.Data.Sqlite.SqliteFactory, Microsoft.Data.Sqlite"),
        ["postgresql"] = (SqlDialect.PostgreSql, "Npgsql", "Npgsql.NpgsqlFactory, Npgsql"),
        ["sqlserver"] = (SqlDialect.SqlServer, "Microsoft.Data.SqlClient", "Microsoft.Data.SqlClient.SqlClientFactory, Microsoft.Data.SqlClient"),
    };

    private static readonly string[] JournalNames = ["efCore", "flyway", "dbUp", "django"];

    /// <inheritdoc />
    internal override IReadOnlyList<GateFileProperty<MigrationIntegrityGateOptions>> Properties
    {
        get =>
        [
            new(ProviderProperty, ProviderSchema, (_, _, _) => { }), // read with the connection string, which needs it
            new(ConnectionStringProperty, ConnectionStringSchema, ReadConnection),
            new("journal", JournalSchema, (node, options, file) => options.Journal = ReadJournal(node, file)),
            new("schema", ConfigSchema.ObjectSchemaOf<SchemaForm>, (node, options, file) => ReadSchema(node, file, options.Schema)),
            new("invariants", InvariantsSchema, (node, options, file) => ReadInvariants(node, file, options.Invariants)),
        ];
    }

    /// <inheritdoc />
    protected override void Register(IReleaseGatesBuilder builder, string name, MigrationIntegrityGateOptions options) =>
        builder.AddMigrationIntegrity(name, options);

    /// <inheritdoc />
    protected override void Complete(MigrationIntegrityGateOptions options, GateFileContext file)
    {
        if (options.ConnectionFactory is null)
        {
            file.AddProblem($"set \"{ConnectionStringProperty}\" (for example \"${{DATABASE_URL}}\") and \"{ProviderProperty}\" ({string.Join(", ", Providers.Keys)}).");
        }

        options.MigrationsDirectory = options.MigrationsDirectory is null ? null : file.ResolvePath(options.MigrationsDirectory);
        options.ManifestPath = options.ManifestPath is null ? null : file.ResolvePath(options.ManifestPath);
    }

    /// <summary>
    /// The connection: the provider's factory (registered with <see cref="DbProviderFactories"/> under its invariant name,
    /// or its assembly already loaded) creates each connection with the string, which is never put into a message.
    /// </summary>
    private static void ReadConnection(ConfigNode node, MigrationIntegrityGateOptions options, GateFileContext file)
    {
        var connectionString = file.Binder.ReadString(node);
        if (file.Node.Property(ProviderProperty) is not { } providerNode)
        {
            file.AddProblem(node, $"set \"{ProviderProperty}\" too: one of {string.Join(", ", Providers.Keys)}.");
            return;
        }

        if (file.Binder.ReadString(providerNode) is not { } provider || connectionString is null)
        {
            return;
        }

        if (!Providers.TryGetValue(provider, out var known))
        {
            file.AddProblem(providerNode, $"unknown provider {ConfigBinder.Shown(providerNode)}; expected one of {string.Join(", ", Providers.Keys)}.");
            return;
        }

        if (FactoryOf(known.Invariant, known.FactoryType) is not { } factory)
        {
            file.AddProblem(
                providerNode,
                $"the {provider} provider ({known.Invariant}) is not available: reference its package and register it with "
                + $"DbProviderFactories.RegisterFactory(\"{known.Invariant}\", …); the release-gates tool includes sqlite and postgresql.");
            return;
        }

        options.Dialect ??= known.Dialect;
        options.ConnectionFactory = () =>
        {
            var connection = factory.CreateConnection() ?? throw new InvalidOperationException($"The {provider} provider created no connection.");
            connection.ConnectionString = connectionString;
            return connection;
        };
    }

    [UnconditionalSuppressMessage("Trimming", "IL2057",
        Justification = "A provider trimmed away is not found, and the file's problem says to register its factory.")]
    [UnconditionalSuppressMessage("Trimming", "IL2075",
        Justification = "A factory whose Instance field was trimmed is not found, and the file's problem says to register it.")]
    private static DbProviderFactory? FactoryOf(string invariant, string factoryType)
    {
        if (DbProviderFactories.TryGetFactory(invariant, out var registered))
        {
            return registered;
        }

        // A host that references the provider's package has its assembly; its factory is a static Instance field.
        return System.Type.GetType(factoryType, throwOnError: false)?.GetField("Instance")?.GetValue(null) as DbProviderFactory;
    }

    private static MigrationJournal? ReadJournal(ConfigNode node, GateFileContext file)
    {
        if (node.Kind == JsonTokenType.String)
        {
            return file.Binder.ReadString(node) is { } name ? NamedJournal(name, node, file) : null;
        }

        if (node.Kind != JsonTokenType.StartObject)
        {
            file.AddProblem(node,
                $"expected one of {string.Join(", ", JournalNames)}, or an object with kind, table and schema (or query and table), found {node.KindName}.");
            return null;
        }

        var form = new JournalForm();
        if (!file.Binder.TryBindObject(node, form))
        {
            return null;
        }

        if (form.Query is { } query)
        {
            if (form.Kind is null && !string.IsNullOrWhiteSpace(form.Table))
            {
                return MigrationJournal.Custom(query, form.Table);
            }

            file.AddProblem(node, "a journal read by a query has a query and the table it reads, and no kind.");
            return null;
        }

        if (form.Kind is null)
        {
            file.AddProblem(node, $"set kind ({string.Join(", ", JournalNames)}), or query and table.");
            return null;
        }

        var journal = NamedJournal(form.Kind, node, file);
        return form.Table is null ? journal : journal?.WithTable(form.Table, form.Schema);
    }

    private static MigrationJournal? NamedJournal(string name, ConfigNode at, GateFileContext file)
    {
        MigrationJournal? found = name.ToUpperInvariant() switch
        {
            "EFCORE" => MigrationJournal.EfCore,
            "FLYWAY" => MigrationJournal.Flyway,
            "DBUP" => MigrationJournal.DbUp,
            "DJANGO" => MigrationJournal.Django,
            _ => null,
        };
        if (found is null)
        {
            file.AddProblem(at, $"unknown journal '{name}'; expected one of {string.Join(", ", JournalNames)} (or query and table).");
        }

        return found;
    }

    private static void ReadSchema(ConfigNode node, GateFileContext file, SchemaExpectations schema)
    {
        var form = new SchemaForm();
        if (!file.Binder.TryBindObject(node, form))
        {
            return;
        }

        schema.MinimumTableCount = form.MinimumTableCount;
        schema.RequireTables([.. form.Tables]);
        foreach (var column in form.Columns)
        {
            if (string.IsNullOrWhiteSpace(column.Table) || string.IsNullOrWhiteSpace(column.Column))
            {
                file.AddProblem(node, "every column expectation needs a table and a column.");
                continue;
            }

            schema.RequireColumn(column.Table, column.Column, column.Type, column.Nullable);
        }

        foreach (var index in form.Indexes)
        {
            if (string.IsNullOrWhiteSpace(index.Table) || index.Columns.Count == 0)
            {
                file.AddProblem(node, "every index expectation needs a table and its columns.");
                continue;
            }

            schema.RequireIndex(index.Table, [.. index.Columns], index.Unique);
        }
    }

    private static void ReadInvariants(ConfigNode node, GateFileContext file, IList<DataInvariant> invariants)
    {
        if (node.Kind != JsonTokenType.StartArray)
        {
            file.AddProblem(node, $"expected an array of invariants (name, sql and, for a number, condition), found {node.KindName}.");
            return;
        }

        foreach (var item in node.Items)
        {
            var form = new InvariantForm();
            if (!file.Binder.TryBindObject(item, form))
            {
                continue;
            }

            if (string.IsNullOrWhiteSpace(form.Name) || string.IsNullOrWhiteSpace(form.Sql))
            {
                file.AddProblem(item, "an invariant needs a name and its sql (rows that break it, or one number held to condition).");
                continue;
            }

            if (form.Condition is null)
            {
                invariants.Add(DataInvariant.NoRows(form.Name, form.Sql));
            }
            else if (GateCondition.TryParse(form.Condition, out _))
            {
                invariants.Add(DataInvariant.Scalar(form.Name, form.Sql, form.Condition));
            }
            else
            {
                file.AddProblem(item, $"the condition '{form.Condition}' is not a condition such as \"value == 0\".");
            }
        }
    }

    private static JsonObject ProviderSchema() =>
        new() { ["enum"] = new JsonArray([.. Providers.Keys.Select(k => JsonValue.Create(k))]) };

    private static JsonObject ConnectionStringSchema() =>
        new() { ["type"] = "string", ["description"] = "The connection string; write it as an environment reference, such as ${DATABASE_URL}." };

    private static JsonObject JournalSchema() => new()
    {
        ["anyOf"] = new JsonArray(
            new JsonObject { ["enum"] = new JsonArray([.. JournalNames.Select(n => JsonValue.Create(n))]) },
            ConfigSchema.ObjectSchemaOf<JournalForm>()),
    };

    private static JsonObject InvariantsSchema()
    {
        var invariant = ConfigSchema.ObjectSchemaOf<InvariantForm>();
        invariant["required"] = new JsonArray("name", "sql");
        return new JsonObject { ["type"] = "array", ["items"] = invariant };
    }

    /// <summary>A journal in the file: a kind in another table, or a query.</summary>
    private sealed class JournalForm
    {
        public string? Kind { get; set; }

        public string? Table { get; set; }

        public string? Schema { get; set; }

        public string? Query { get; set; }
    }

    /// <summary>Schema expectations in the file.</summary>
    private sealed class SchemaForm
    {
        public int? MinimumTableCount { get; set; }

        public IList<string> Tables { get; } = [];

        public IList<ColumnForm> Columns { get; } = [];

        public IList<IndexForm> Indexes { get; } = [];
    }

    /// <summary>A column expectation in the file.</summary>
    private sealed class ColumnForm
    {
        public string? Table { get; set; }

        public string? Column { get; set; }

        public string? Type { get; set; }

        public bool? Nullable { get; set; }
    }

    /// <summary>An index expectation in the file.</summary>
    private sealed class IndexForm
    {
        public string? Table { get; set; }

        public IList<string> Columns { get; } = [];

        public bool Unique { get; set; }
    }

    /// <summary>A data invariant in the file.</summary>
    private sealed class InvariantForm
    {
        public string? Name { get; set; }

        public string? Sql { get; set; }

        public string? Condition { get; set; }
    }
}
