"""The model every layer shares: resources, findings, reports, input limits and errors. Imports nothing of ours."""
