using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;

namespace Dit.Referrals.Fhir;

/// <summary>
/// BaRS's answers: an <c>OperationOutcome</c> with BaRS's error code (REC_BAD_REQUEST, REC_CONFLICT …, system
/// <see cref="BarsCodes.HttpErrorCodes"/>) and one issue per problem, naming its element by FHIRPath; every FHIR answer as
/// <c>application/fhir+json</c>.
/// </summary>
public static class BarsOutcomes
{
    public const string FhirJson = "application/fhir+json";

    private static readonly Dictionary<string, OperationOutcome.IssueType> IssueTypes = new()
    {
        ["invalid"] = OperationOutcome.IssueType.Invalid, ["required"] = OperationOutcome.IssueType.Required,
        ["value"] = OperationOutcome.IssueType.Value, ["structure"] = OperationOutcome.IssueType.Structure,
        ["not-supported"] = OperationOutcome.IssueType.NotSupported, ["duplicate"] = OperationOutcome.IssueType.Duplicate,
        ["conflict"] = OperationOutcome.IssueType.Conflict, ["too-costly"] = OperationOutcome.IssueType.TooCostly,
        ["security"] = OperationOutcome.IssueType.Security, ["forbidden"] = OperationOutcome.IssueType.Forbidden,
        ["not-found"] = OperationOutcome.IssueType.NotFound,
    };

    public static IResult Error(int status, string barsCode, IEnumerable<BarsIssue> issues) => Fhir(new OperationOutcome
    {
        Id = Guid.NewGuid().ToString(),
        Meta = new Meta { Profile = ["https://fhir.hl7.org.uk/StructureDefinition/UKCore-OperationOutcome"] },
        Issue = issues.Select(issue => new OperationOutcome.IssueComponent
        {
            Severity = OperationOutcome.IssueSeverity.Error,
            Code = IssueTypes.GetValueOrDefault(issue.Code, OperationOutcome.IssueType.Invalid),
            Details = new CodeableConcept(BarsCodes.HttpErrorCodes, barsCode),
            Diagnostics = issue.Message,
            Expression = issue.Expression == "" ? [] : [issue.Expression],
        }).ToList(),
    }, status);

    public static IResult Error(int status, string barsCode, string code, string message, string expression = "") =>
        Error(status, barsCode, [new BarsIssue(expression, message, code)]);

    public static IResult Fhir(Resource resource, int status = StatusCodes.Status200OK) =>
        Results.Text(resource.ToJson(), FhirJson, System.Text.Encoding.UTF8, status);
}
