using System.Text.Json;

namespace Dit.Platform.Messaging;

public static class MessageJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    /// <summary>Every message type lives in Dit.Contracts; the outbox stores its full name.</summary>
    public static Type ResolveContract(string fullName) =>
        typeof(Dit.Contracts.SubmitReferral).Assembly.GetType(fullName, throwOnError: true)!;
}
