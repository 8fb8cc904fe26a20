"""git revisions: resolving the two sides of a change, their trees and the files that changed."""
