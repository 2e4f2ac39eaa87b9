using System.Collections.Concurrent;
using System.Net;

namespace Dit.Testing;

/// <summary>One span as exported: the service that sent it (its resource's <c>service.name</c>), its trace id and name.</summary>
public sealed record ExportedSpan(string Service, string TraceId, string Name);

/// <summary>
/// An OTLP/HTTP receiver for a test: keeps every protobuf body posted to <c>/v1/traces</c> and <c>/v1/metrics</c>, and reads
/// trace exports (ExportTraceServiceRequest) just far enough to list their spans — protobuf's wire format by hand.
/// </summary>
public sealed class OtlpCollector : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentQueue<(string Path, byte[] Body)> _exports = new();
    private readonly Task _serving;

    private OtlpCollector(int port)
    {
        Url = $"http://127.0.0.1:{port}/";
        _listener.Prefixes.Add(Url);
        _listener.Start();
        _serving = ServeAsync();
    }

    public string Url { get; }

    public static OtlpCollector Start() => new(FreePort.Next());

    /// <summary>Every body exported to <paramref name="path"/> so far (<c>/v1/traces</c> or <c>/v1/metrics</c>).</summary>
    public IReadOnlyList<byte[]> Exports(string path) => _exports.Where(e => e.Path == path).Select(e => e.Body).ToList();

    public IReadOnlyList<ExportedSpan> Spans() => Exports("/v1/traces").SelectMany(ReadSpans).ToList();

    /// <summary>
    /// The spans of trace <paramref name="traceId"/>, as "service: name", once all of <paramref name="expected"/> are among
    /// them (or after 30 s: the test then shows what came).
    /// </summary>
    public async Task<HashSet<string>> WaitForTraceAsync(string traceId, params string[] expected)
    {
        HashSet<string> seen = [];
        for (var i = 0; i < 300; i++)
        {
            seen = Spans().Where(s => s.TraceId == traceId).Select(s => $"{s.Service}: {s.Name}").ToHashSet();
            if (expected.All(seen.Contains)) break;
            await Task.Delay(100);
        }
        return seen;
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try { context = await _listener.GetContextAsync(); }
            catch (Exception) when (!_listener.IsListening) { return; }
            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            _exports.Enqueue((context.Request.Url!.AbsolutePath, body.ToArray()));
            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/x-protobuf";
            context.Response.Close();
        }
    }

    // ExportTraceServiceRequest: 1 resource_spans; ResourceSpans: 1 resource, 2 scope_spans; Resource: 1 attributes
    // (KeyValue: 1 key, 2 value (AnyValue: 1 string_value)); ScopeSpans: 2 spans; Span: 1 trace_id, 5 name.
    private static IEnumerable<ExportedSpan> ReadSpans(byte[] export)
    {
        foreach (var resourceSpans in Fields(export).Where(f => f.Number == 1))
        {
            var fields = Fields(resourceSpans.Bytes);
            var service = fields.Where(f => f.Number == 1).SelectMany(r => Fields(r.Bytes)).Where(a => a.Number == 1)
                .Select(a => Fields(a.Bytes))
                .Where(kv => kv.Any(f => f.Number == 1 && Text(f.Bytes) == "service.name"))
                .Select(kv => Text(Fields(kv.Single(f => f.Number == 2).Bytes).Single(f => f.Number == 1).Bytes))
                .FirstOrDefault() ?? "";
            foreach (var span in fields.Where(f => f.Number == 2).SelectMany(s => Fields(s.Bytes)).Where(f => f.Number == 2))
            {
                var spanFields = Fields(span.Bytes);
                yield return new ExportedSpan(service, Convert.ToHexStringLower(spanFields.Single(f => f.Number == 1).Bytes),
                    Text(spanFields.FirstOrDefault(f => f.Number == 5).Bytes ?? []));
            }
        }
    }

    private static string Text(byte[] bytes) => System.Text.Encoding.UTF8.GetString(bytes);

    /// <summary>The length-delimited fields of a protobuf message (numbers and bytes); other wire types are skipped.</summary>
    private static List<(int Number, byte[] Bytes)> Fields(byte[] message)
    {
        var fields = new List<(int, byte[])>();
        var i = 0;
        while (i < message.Length)
        {
            var key = Varint(message, ref i);
            switch (key & 7)
            {
                case 0: Varint(message, ref i); break;
                case 1: i += 8; break;
                case 5: i += 4; break;
                case 2:
                    var length = (int)Varint(message, ref i);
                    fields.Add(((int)(key >> 3), message[i..(i + length)]));
                    i += length;
                    break;
                default: throw new InvalidDataException($"Protobuf wire type {key & 7} at byte {i}");
            }
        }
        return fields;
    }

    private static ulong Varint(byte[] bytes, ref int i)
    {
        ulong value = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = bytes[i++];
            value |= (ulong)(b & 0x7f) << shift;
            if (b < 0x80) return value;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        try { await _serving; } catch (ObjectDisposedException) { }
    }
}
