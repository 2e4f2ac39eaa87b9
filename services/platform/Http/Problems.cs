using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Dit.Platform.Http;

/// <summary>problem+json answers (RFC 9457) with the <c>errors</c> map of field → messages the API promises.</summary>
public static class Problems
{
    public static ProblemHttpResult BadRequest(Dictionary<string, string[]> errors, string title = "The request has invalid fields") =>
        TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: title,
            extensions: new Dictionary<string, object?> { ["errors"] = errors });

    public static ProblemHttpResult BadRequest(string field, string message) => BadRequest(new() { [field] = [message] });

    public static ProblemHttpResult NotFound(string title) => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: title);

    public static ProblemHttpResult Conflict(string title, string? detail = null) =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: title, detail: detail);
}
