// One error shape for everything the console shows: the API's RFC 9457 problem (title, detail, hint,
// field errors), and Cognito or network failures put into the same shape.
export class ApiError extends Error {
  constructor(problem) {
    super(problem.detail || problem.title);
    this.title = problem.title || "Error";
    this.detail = problem.detail || "";
    this.hint = problem.hint || "";
    this.status = problem.status || 0;
    this.code = problem.code || "";
    this.errors = Array.isArray(problem.errors) ? problem.errors : [];
    this.requestId = problem.requestId || "";
  }
}

export function asApiError(error) {
  if (error instanceof ApiError) return error;
  if (error && error.title) return new ApiError(error);  // a problem the console itself describes
  return new ApiError({ title: "Something went wrong in the console", detail: String(error && error.message || error),
    hint: "Reload the page; if it happens again, report it with what you did." });
}
