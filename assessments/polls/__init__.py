"""Live polls in the room and the gathering's anonymous evaluation: questions to a gathering's
leaders whose results are released in blocks of k by the assessments' one anonymity rule."""
