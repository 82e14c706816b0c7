using Envoy.Config.Core.V3;
using Envoy.Service.ExtProc.V3;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Suite.LocalGateway.ExtProc;

/// <summary>Applies ext_proc header mutations to ASP.NET Core headers with Envoy's append semantics.</summary>
internal static class HeaderMutations
{
    public static void Apply(HeaderMutation mutation, IHeaderDictionary headers)
    {
        foreach (var name in mutation.RemoveHeaders)
        {
            headers.Remove(name);
        }

        foreach (var option in mutation.SetHeaders)
        {
            if (option.Header is not { } header || header.Key.StartsWith(':'))
            {
                continue; // pseudo-headers are not headers here; no picker of ours rewrites them
            }

            var value = ValueOf(header);
            var exists = headers.TryGetValue(header.Key, out var current);
            switch (option.AppendAction)
            {
                case HeaderValueOption.Types.HeaderAppendAction.AppendIfExistsOrAdd:
                    headers[header.Key] = exists ? StringValues.Concat(current, value) : new StringValues(value);
                    break;
                case HeaderValueOption.Types.HeaderAppendAction.AddIfAbsent:
                    if (!exists)
                    {
                        headers[header.Key] = value;
                    }

                    break;
                case HeaderValueOption.Types.HeaderAppendAction.OverwriteIfExists:
                    if (exists)
                    {
                        headers[header.Key] = value;
                    }

                    break;
                default:
                    headers[header.Key] = value;
                    break;
            }
        }
    }

    /// <summary>A header's value: <c>raw_value</c> when set (what Envoy sends and reads), else the legacy <c>value</c>.</summary>
    public static string ValueOf(HeaderValue header) => header.RawValue.IsEmpty ? header.Value : header.RawValue.ToStringUtf8();
}
