using System.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using NJsonSchema;
using NJsonSchema.Validation;
using Suite.Deploy.Tests.Support;

namespace Suite.Deploy.Tests.Schemas;

/// <summary>A custom resource checked against its CRD's schema; each failure names the object and the field's path.</summary>
internal static class SchemaValidation
{
    /// <summary>Messages such as <c>deploy/examples/pool.yaml: InferencePool chat: /spec/selector/app: unknown field</c>; none when valid.</summary>
    public static IReadOnlyList<string> Validate(CrdSchemas schemas, Manifest manifest)
    {
        ArgumentNullException.ThrowIfNull(schemas);
        ArgumentNullException.ThrowIfNull(manifest);
        var failures = new List<string>();
        foreach (var error in schemas.For(manifest).Validate(Token(manifest)))
        {
            Collect(error, failures);
        }

        return [.. failures.Distinct(StringComparer.Ordinal).Select(failure => $"{manifest.Source}: {manifest.Title}: {failure}")];
    }

    // Newtonsoft would turn a timestamp string into a DateTime; keep every string a string, as the API server does.
    private static JToken Token(Manifest manifest)
    {
        using var reader = new JsonTextReader(new StringReader(manifest.Json.ToJsonString())) { DateParseHandling = DateParseHandling.None };
        return JToken.ReadFrom(reader);
    }

    private static void Collect(ValidationError error, List<string> failures)
    {
        // An array item or map value that fails wraps the field's own errors: report those, they name the field.
        if (error is ChildSchemaValidationError { Kind: ValidationErrorKind.ArrayItemNotValid or ValidationErrorKind.AdditionalItemNotValid or ValidationErrorKind.AdditionalPropertiesNotValid } wrapper)
        {
            foreach (var inner in wrapper.Errors.Values.SelectMany(errors => errors))
            {
                Collect(inner, failures);
            }

            return;
        }

        var path = Pointer(error.Path);
        failures.Add(error switch
        {
            { Kind: ValidationErrorKind.NoAdditionalPropertiesAllowed } => $"{path}: unknown field",
            { Kind: ValidationErrorKind.PropertyRequired } => $"{path}: required field missing",
            MultiTypeValidationError => $"{path}: expected {error.Schema?.Type.ToString().ToLowerInvariant().Replace(", ", " or ", StringComparison.Ordinal)}, got {Value(error.Token)}",
            _ when error.Token is JValue => $"{path}: {Words(error.Kind)}, got {Value(error.Token)}",
            _ => $"{path}: {Words(error.Kind)}",
        });
    }

    /// <summary>NJsonSchema's path (<c>#/spec.targetPorts[0].number</c>) as a JSON pointer (<c>/spec/targetPorts/0/number</c>).</summary>
    private static string Pointer(string? path)
    {
        var steps = (path ?? "").TrimStart('#').TrimStart('/').Replace("[", ".", StringComparison.Ordinal).Replace("]", "", StringComparison.Ordinal)
            .Split('.', StringSplitOptions.RemoveEmptyEntries);
        return "/" + string.Join('/', steps);
    }

    private static string Value(JToken? token) => token?.ToString(Formatting.None) ?? "nothing";

    // IntegerExpected → "integer expected", NotInEnumeration → "not in enumeration".
    private static string Words(ValidationErrorKind kind)
    {
        var words = new StringBuilder();
        foreach (var letter in kind.ToString())
        {
            if (char.IsUpper(letter) && words.Length > 0)
            {
                words.Append(' ');
            }

            words.Append(char.ToLowerInvariant(letter));
        }

        return words.ToString();
    }
}
