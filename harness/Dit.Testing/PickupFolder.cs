namespace Dit.Testing;

/// <summary>The mail pickup folder as a test sees it: whole messages only, oldest first.</summary>
public static class PickupFolder
{
    /// <summary>
    /// The messages once at least <paramref name="count"/> are complete, or whatever is there after
    /// <paramref name="seconds"/>. A multipart message is complete with its last boundary
    /// (<c>--boundary--</c>); any message is, once its file has not changed for half a second.
    /// </summary>
    public static async Task<string[]> WaitForMailsAsync(string folder, int count, int seconds = 30)
    {
        string[] complete = [];
        for (var waited = 0; ; waited++)
        {
            var files = Directory.Exists(folder) ? Directory.GetFiles(folder, "*.eml").OrderBy(File.GetLastWriteTimeUtc).ThenBy(f => f).ToArray() : [];
            var texts = new List<string>();
            foreach (var file in files)
            {
                try
                {
                    var text = await File.ReadAllTextAsync(file);
                    if (text.TrimEnd().EndsWith("--", StringComparison.Ordinal) || DateTime.UtcNow - File.GetLastWriteTimeUtc(file) > TimeSpan.FromMilliseconds(500))
                        texts.Add(text);
                }
                catch (IOException) { }
            }
            complete = texts.ToArray();
            if (complete.Length >= count || waited >= seconds * 10) break;
            await Task.Delay(100);
        }
        return complete;
    }
}
