"""A seven-term vocabulary (already indexed, as vocabulary.json) for the ranker's unit tests.

0 root, 1 phenotypic abnormality, 2 nervous system, 3 seizure, 4 febrile seizure, 5 heart, 6 cough.
"""

SEVEN_TERMS = {
    "terms": [
        {"id": "HP:0000001", "parents": []},
        {"id": "HP:0000118", "parents": [0]},
        {"id": "HP:0000707", "parents": [1]},
        {"id": "HP:0001250", "parents": [2]},
        {"id": "HP:0002373", "parents": [3]},
        {"id": "HP:0001627", "parents": [1]},
        {"id": "HP:0012735", "parents": [1]},
    ]
}
